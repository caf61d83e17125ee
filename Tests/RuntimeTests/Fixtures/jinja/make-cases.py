#!/usr/bin/env python3
"""Renders the differential Jinja cases with the real jinja2 and writes cases.json.

tk8s's template engine (Sources/Runtime/Template) must print exactly what
Jinja2 3.x prints as Tutor configures it: `Environment(undefined=StrictUndefined)`,
everything else default. TemplateTests.swift replays cases.json, so the
Swift tests never need Python. Regenerate after editing CASES:

    python3 Tests/RuntimeTests/Fixtures/jinja/make-cases.py   # needs jinja2 (pip install tutor)

Each case is (name, template, context). Contexts hold only JSON values; a
case whose rendering raises is recorded as `"error": true`, without the
message (tk8s words its errors its own way).

Left out on purpose, because tk8s does not support them: macros, call
blocks, extends/blocks/imports, recursive loops, `tojson(indent=…)`,
printing tuples or `range()` objects (tk8s has no tuple type), mappings with
non-string keys, `loop.changed`, and filters missing from TemplateFilters.names.
"""
import json
import os

import jinja2

NUMS = {"nums": [3, 1, 2]}
WORDS = {"words": ["banana", "Apple", "cherry", "apple"]}
USERS = {"users": [
    {"name": "ann", "age": 31, "admin": True},
    {"name": "bob", "age": 25, "admin": False},
    {"name": "cy", "age": 40, "admin": True, "email": "cy@x.org"},
]}
CONF = {"conf": {"LMS_HOST": "lms.example.com", "PORT": 8000, "ENABLED": True, "EMPTY": "", "NONE": None}}

CASES = [
    # Text and whitespace control
    ("text-plain", "hello world", {}),
    ("text-trailing-newline-dropped", "line\n", {}),
    ("text-only-one-newline-dropped", "line\n\n", {}),
    ("text-crlf", "a\r\nb\r\n", {}),
    ("text-crlf-around-tags", "{% if true %}\r\nx\r\n{% endif %}\r\n", {}),
    ("text-lone-cr", "a\rb", {}),
    ("ws-strip-left", "a   {{- 'b' }}", {}),
    ("ws-strip-right", "{{ 'a' -}}   \n  b", {}),
    ("ws-strip-both-tags", "x\n  {%- if true -%}\n  y\n  {%- endif -%}\n  z", {}),
    ("ws-no-trim-blocks", "{% if true %}\nx\n{% endif %}\ny", {}),
    ("ws-no-lstrip-blocks", "  {% if true %}x{% endif %}", {}),
    ("ws-for-newlines", "{% for i in nums %}\n- {{ i }}\n{% endfor %}\n", NUMS),
    ("ws-strip-in-loop", "{% for i in nums -%}\n{{ i }},\n{%- endfor %}", NUMS),
    ("comment", "a{# note #}b", {}),
    ("comment-strip", "a  {#- note -#}  b", {}),
    ("comment-with-tags-inside", "a{# {{ x }} {% if %} #}b", {}),
    ("raw", "{% raw %}{{ x }}{% if %}{% endraw %}", {}),
    ("raw-strip", "a {%- raw -%}  {{ y }}  {%- endraw -%} b", {}),
    ("braces-in-text", "{ not a tag } and }} too", {}),

    # Printing values as Python's str()
    ("print-none", "{{ none }}|{{ None }}", {}),
    ("print-bools", "{{ true }} {{ False }}", {}),
    ("print-ints", "{{ 0 }} {{ -7 }} {{ 1_000 }}", {}),
    ("print-floats", "{{ 1.0 }} {{ 0.1 }} {{ 1e-05 }} {{ 1e16 }} {{ 1e15 }} {{ 2.5e-3 }} {{ 1.5E3 }}", {}),
    ("print-float-math", "{{ 0.1 + 0.2 }} {{ 10 / 4 }} {{ 1 / 3 }} {{ 4 / 2 }}", {}),
    ("print-context-floats", "{{ a }} {{ b }} {{ c }}", {"a": 1.0, "b": 1e-05, "c": 123456789.125}),
    ("print-list", "{{ [1, 'a', none, true, 1.5] }}", {}),
    ("print-dict", "{{ {'a': 1, 'b': [2, 'c'], 'd': {'e': none}} }}", {}),
    ("print-context-nested", "{{ x }}", {"x": {"k": ["v", 1, False, None, {"z": 2.0}]}}),
    ("print-string-quotes-repr", "{{ [\"it's\", 'say \"hi\"', 'both \\' \"', 'tab\\there', 'nl\\n'] }}", {}),
    ("print-string-unicode-repr", "{{ ['é', 'snow ☃', '\\x7f', '\\x85'] }}", {}),
    ("print-string-unprintable-repr", "{{ [s] }}", {"s": "a\u00a0b\u00adc\u200bd\u2028e\u3000f\ue000g\U0001F600h\U000E0001i"}),
    ("print-empty-containers", "{{ [] }} {{ {} }} {{ '' }}|", {}),

    # Operators
    ("op-arith", "{{ 7 + 3 }} {{ 7 - 10 }} {{ 6 * 7 }} {{ 7 / 2 }} {{ 7 // 2 }} {{ 7 % 3 }} {{ 2 ** 10 }}", {}),
    ("op-floordiv-mod-negative", "{{ -7 // 2 }} {{ -7 % 3 }} {{ 7 % -3 }} {{ -7.5 // 2 }} {{ 7.5 % 2 }}", {}),
    ("op-mixed-float", "{{ 1 + 1.5 }} {{ 3 * 0.5 }} {{ 2 ** -1 }} {{ 2 ** 0.5 }}", {}),
    ("op-precedence", "{{ 2 + 3 * 4 }} {{ (2 + 3) * 4 }} {{ 2 * 3 ** 2 }} {{ 10 - 4 - 3 }} {{ 2 ** 3 ** 2 }}", {}),
    ("op-unary-minus", "{{ -2 ** 2 }} {{ -(3) }} {{ - x }} {{ +4 }}", {"x": 5}),
    ("op-tilde", "{{ 'a' ~ 1 ~ none ~ true ~ [1] }}", {}),
    ("op-tilde-precedence", "{{ (1 + 2) ~ 3 * 2 }} {{ 'a' ~ (1 + 2) }} {{ 1 ~ 2 * 3 }}", {}),
    ("op-string-concat-repeat", "{{ 'ab' + 'cd' }} {{ 'ab' * 3 }} {{ [1] * 3 }} {{ [1] + [2, 3] }}", {}),
    ("op-comparisons", "{{ 1 < 2 }} {{ 2 <= 1 }} {{ 'a' < 'b' }} {{ 1 == 1.0 }} {{ 1 != '1' }} {{ [1, 2] == [1, 2] }}", {}),
    ("op-chained-compare", "{{ 1 < 2 < 3 }} {{ 1 < 3 < 2 }} {{ 3 > 2 == 2 }}", {}),
    ("op-in", "{{ 2 in [1, 2] }} {{ 'b' in 'abc' }} {{ 'k' in {'k': 1} }} {{ 3 not in [1, 2] }} {{ '' in 'x' }}", {}),
    ("op-and-or-values", "{{ 0 or 'x' }} {{ 'a' and 'b' }} {{ '' and 'b' }}| {{ none or [] }} {{ 1 and 0 }}", {}),
    ("op-not", "{{ not 0 }} {{ not 'x' }} {{ not not [] }} {{ not 1 == 2 }}", {}),
    ("op-inline-if", "{{ 'yes' if x else 'no' }} {{ 'a' if 0 else 'b' if 1 else 'c' }}", {"x": [1]}),
    ("op-inline-if-without-else", "[{{ 'a' if false }}] [{{ ('a' if false)|default('d') }}] [{{ 'x' ~ ('a' if false) }}]", {}),
    ("op-inline-if-precedence", "{{ 1 + 1 if true else 2 }} {{ 'x' ~ 'y' if false else 'z' }}", {}),
    ("op-bool-arith", "{{ true + 1 }} {{ true * 3 }}", {}),
    ("op-int-string-compare-eq", "{{ 1 == '1' }} {{ none == none }} {{ none == 0 }}", {}),

    # Literals
    ("lit-list-tuple-dict", "{{ [1, [2, 3]] }} {{ {'a': (1)} }} {{ (1, 2)[1] }} {{ [1, 2,][-1] }}", {}),
    ("lit-string-escapes", "{{ 'a\\tb' }}|{{ \"q\\\"q\" }}|{{ 'back\\\\slash' }}|{{ '\\u00e9\\x41' }}", {}),
    ("lit-adjacent-strings", "{{ 'foo' 'bar' \"baz\" }}", {}),
    ("lit-unknown-escape-kept", "{{ 'a\\db' }}", {}),
    ("lit-prefixed-ints", "{{ 0x1F }} {{ 0o17 }} {{ 0b101 }} {{ 1_0 }} {{ 0X_ff }} {{ 00 }} {{ 0.5e1 }} {{ 1e3 }} {{ 007.5 }}", {}),
    ("lit-crlf-in-string-and-raw", "{{ 'a\r\nb' }}|{% raw %}x\r\ny{% endraw %}|{{ 'c\\r' }}", {}),
    ("lit-trailing-comma-dict", "{{ {'a': 1,} }}", {}),

    # Access
    ("access-attr-item", "{{ conf.LMS_HOST }} {{ conf['PORT'] }} {{ conf.get('PORT') }}", CONF),
    ("access-list-index", "{{ nums[0] }} {{ nums[-1] }} {{ nums.1 }}", NUMS),
    ("access-string-index", "{{ 'hello'[1] }} {{ 'hello'[-1] }}", {}),
    ("access-slices", "{{ nums[1:] }} {{ nums[:-1] }} {{ nums[::-1] }} {{ nums[::2] }} {{ nums[5:] }} {{ nums[-2:] }}", NUMS),
    ("access-string-slices", "{{ 'abcdef'[1:3] }} {{ 'abcdef'[::-2] }} {{ 'abcdef'[-3:] }} {{ 'abc'[10:] }}|", {}),
    ("access-nested", "{{ users[2].email }} {{ users[0]['name'] }}", USERS),
    ("access-item-variable-key", "{% set k = 'PORT' %}{{ conf[k] }}", CONF),

    # if / elif / else
    ("if-elif-else", "{% for x in [0, 1, 2] %}{% if x == 0 %}zero{% elif x == 1 %}one{% else %}many{% endif %} {% endfor %}", {}),
    ("if-truthiness", "{% for v in [0, 1, '', 'a', [], [0], {}, none, 0.0] %}{{ 'T' if v else 'F' }}{% endfor %}", {}),
    ("if-nested", "{% if a %}{% if b %}ab{% else %}a{% endif %}{% endif %}", {"a": 1, "b": 0}),

    # for
    ("for-loop-vars", "{% for x in 'abc' %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }};{% endfor %}", {}),
    ("for-previtem-nextitem", "{% for x in nums %}{{ loop.previtem is defined }}{{ loop.previtem|default('-') }}{{ loop.nextitem|default('-') }} {% endfor %}", NUMS),
    ("for-cycle", "{% for x in nums %}{{ loop.cycle('odd', 'even') }} {% endfor %}", NUMS),
    ("for-else", "{% for x in [] %}{{ x }}{% else %}empty{% endfor %}", {}),
    ("for-filter", "{% for x in nums if x > 1 %}{{ x }}{{ loop.length }} {% endfor %}", NUMS),
    ("for-filter-else", "{% for x in nums if x > 10 %}{{ x }}{% else %}none{% endfor %}", NUMS),
    ("for-dict-items", "{% for k, v in conf.items() %}{{ k }}={{ v }};{% endfor %}", CONF),
    ("for-dict-keys", "{% for k in conf %}{{ k }},{% endfor %}", CONF),
    ("for-dictsort", "{% for k, v in conf|dictsort %}{{ k }};{% endfor %}", CONF),
    ("for-tuple-unpack-paren", "{% for (a, b) in [[1, 2], [3, 4]] %}{{ a + b }} {% endfor %}", {}),
    ("for-nested-loop", "{% for a in [1, 2] %}{% for b in 'xy' %}{{ loop.index }}{{ a }}{{ b }} {% endfor %}{{ loop.index }}|{% endfor %}", {}),
    ("for-range", "{% for i in range(3) %}{{ i }}{% endfor %} {{ range(2, 10, 3)|list }} {{ range(5, 0, -2)|list }}", {}),
    ("for-scope-does-not-leak", "{% set x = 1 %}{% for i in [5] %}{% set x = i %}{{ x }}{% endfor %}{{ x }}", {}),
    ("for-string", "{% for c in 'hé!' %}[{{ c }}]{% endfor %}", {}),

    # set, namespace, with, filter blocks
    ("set-simple", "{% set a = 1 %}{% set b, c = 2, 3 %}{{ a }}{{ b }}{{ c }}", {}),
    ("set-shadows-context", "{{ x }}{% set x = 'new' %}{{ x }}", {"x": "old"}),
    ("set-block", "{% set s %}hello {{ 'w' }}{% endset %}[{{ s }}]", {}),
    ("set-block-filter", "{% set s | upper | replace('L', '_') %}hello{% endset %}{{ s }}", {}),
    ("set-namespace", "{% set ns = namespace(n=0) %}{% for x in nums %}{% set ns.n = ns.n + x %}{% endfor %}{{ ns.n }}", NUMS),
    ("with-block", "{% with a = 1, b = 2 %}{{ a + b }}{% endwith %}{{ a is defined }}", {}),
    ("filter-block", "{% filter upper %}abc {{ 'd' }}{% endfilter %}", {}),
    ("filter-block-indent", "x:\n  {% filter indent(2) %}a: 1\nb: 2\n{% endfilter %}", {}),
    ("for-unpack-strings", "{% for a, b in ['ab', 'cd'] %}{{ b }}{{ a }}{% endfor %}{% set x, y = 'xy' %}{{ y }}{{ x }}", {}),
    ("filter-block-chain", "{% filter trim | upper %}  xy  {% endfilter %}|", {}),

    # Filters
    ("f-abs", "{{ -3|abs }} {{ (-2.5)|abs }}", {}),
    ("f-attr-mapping-key-is-no-attribute", "{{ conf|attr('PORT') is defined }} {{ conf|attr('nope') is undefined }}", CONF),
    ("f-capitalize", "{{ 'hELLO wORLD'|capitalize }}", {}),
    ("f-center", "[{{ 'ab'|center(7) }}][{{ 'abc'|center(6) }}][{{ 'abc'|center(2) }}][{{ 'x'|center(4) }}]", {}),
    ("f-count-length", "{{ nums|count }} {{ 'héllo'|length }} {{ conf|length }}", {**NUMS, **CONF}),
    ("f-default", "{{ missing|default('dflt') }} {{ missing|d }}| {{ conf.nope|default(1) }} {{ ''|default('e') }}| {{ ''|default('e', true) }} {{ 0|d('z', boolean=true) }} {{ none|default('n') }}", CONF),
    ("f-default-chain", "{{ missing.deeper|default('x') if missing is defined else 'undef' }} {{ conf.NONE|default('still none') }}", CONF),
    ("f-dictsort", "{% for k, v in d|dictsort %}{{ k }}{{ v }}{% endfor %} {% for k, v in d|dictsort(by='value') %}{{ k }}{% endfor %} {% for k, v in d|dictsort(reverse=true) %}{{ k }}{% endfor %} {% for k, v in d|dictsort(true) %}{{ k }}{% endfor %} {{ (d|dictsort)[0][1] }}", {"d": {"b": 2, "A": 3, "c": 1, "a": 0}}),
    ("f-escape", "{{ '<a href=\"x\">&\\'</a>'|e }} {{ 'x'|escape }}", {}),
    ("f-first-last", "{{ nums|first }} {{ nums|last }} {{ 'abc'|first }} {{ 'abc'|last }}", NUMS),
    ("f-float", "{{ '3.5'|float }} {{ 'x'|float }} {{ 'x'|float(1.5) }} {{ 2|float }} {{ ' 7 '|float }} {{ '1e3'|float }}", {}),
    ("f-int", "{{ '42'|int }} {{ '4.7'|int }} {{ 'x'|int }} {{ 'x'|int(-1) }} {{ 3.99|int }} {{ '0x1A'|int(base=16) }} {{ '101'|int(base=2) }} {{ 'zz'|int(base=40) }} {{ '0b11'|int(0, 0) }} {{ '-0o17'|int(base=8) }} {{ true|int }} {{ ' 8 '|int }}", {}),
    ("f-format", "{{ '%s-%d'|format('a', 3) }} {{ '%05.2f'|format(3.14159) }} {{ '%(x)s!'|format(x='y') }} {{ '%x %o %r'|format(255, 8, 'q') }}", {}),
    ("f-indent-default", "{{ 'a\nb\n\nc'|indent }}", {}),
    ("f-indent-first-blank", "{{ 'a\nb\n\nc'|indent(2, true, true) }}", {}),
    ("f-indent-string-width", "{{ 'a\nb'|indent('>> ', first=true) }}", {}),
    ("f-indent-trailing-newline", "[{{ 'a\nb\n'|indent(2) }}][{{ 'a\n'|indent(2, blank=true) }}]", {}),
    ("f-indent-single-line", "[{{ 'a'|indent(4, first=true) }}][{{ ''|indent(4, first=true) }}]", {}),
    ("f-indent-multiline-var", "x:\n  {{ v|indent(2) }}", {"v": "k1: 1\nk2:\n  - a\n"}),
    ("f-items", "{% for k, v in {'x': 1, 'y': 2}|items %}{{ k }}{{ v }}{% endfor %}", {}),
    ("f-join", "{{ nums|join }} {{ nums|join(', ') }} {{ users|join('/', attribute='name') }} {{ 'abc'|join('.') }}", {**NUMS, **USERS}),
    ("f-list", "{{ 'abc'|list }} {{ {'a': 1, 'b': 2}|list }}", {}),
    ("f-lower-upper", "{{ 'AbC'|lower }} {{ 'straße'|upper }}", {}),
    ("f-map", "{{ users|map(attribute='name')|join(',') }} {{ words|map('upper')|list }} {{ users|map(attribute='email', default='-')|list }}", {**USERS, **WORDS}),
    ("f-map-filter-args", "{{ ['a-b', 'c-d']|map('replace', '-', '+')|list }} {{ [1.26, 2.5]|map('round', 1)|list }}", {}),
    ("f-max-min", "{{ nums|max }} {{ nums|min }} {{ words|max }} {{ words|min }} {{ words|max(case_sensitive=true) }} {{ users|max(attribute='age') }}", {**NUMS, **WORDS, **USERS}),
    ("f-pprint", "{{ {'a': [1, 'x']}|pprint }} {{ 'q'|pprint }}", {}),
    ("f-select-tests", "{{ [none, 1]|select('none')|list }} {{ [1, 'a']|select('string')|list }} {{ [1, 2]|select('equalto', 2)|list }} {{ [none, 1]|reject('sameas', none)|list }} {{ ['1', '2']|map('int')|sum }} {{ ['a', 'b']|map('default', 'x')|list }} {{ [1, 2, 3]|select('divisibleby', 3)|list }}", {}),
    ("f-forceescape-pprint", "{{ '<a>'|forceescape }} {{ {'b': 1, 'a': {'d': 2, 'c': [3]}}|pprint }}", {}),
    ("f-reject-select", "{{ nums|select('odd')|list }} {{ nums|reject('odd')|list }} {{ [0, 1, '', 'a', none]|select|list }} {{ nums|select('gt', 1)|list }} {{ nums|select('in', [1, 2])|list }}", NUMS),
    ("f-selectattr", "{{ users|selectattr('admin')|map(attribute='name')|list }} {{ users|rejectattr('admin')|map(attribute='name')|list }} {{ users|selectattr('age', 'lt', 35)|map(attribute='name')|list }}", USERS),
    ("f-selectattr-defined", "{{ users|selectattr('email', 'defined')|map(attribute='name')|list }} {{ users|selectattr('name', 'equalto', 'bob')|map(attribute='age')|list }} {{ users|rejectattr('email', 'defined')|map(attribute='name')|list }}", USERS),
    ("f-replace", "{{ 'aaa'|replace('a', 'b') }} {{ 'aaa'|replace('a', 'b', 2) }} {{ 'abc'|replace('', '-') }} {{ 'abc'|replace('x', 'y') }}", {}),
    ("f-reverse", "{{ nums|reverse|list }} {{ 'abc'|reverse }}", NUMS),
    ("f-round", "{{ 2.5|round }} {{ 3.5|round }} {{ 2.675|round(2) }} {{ 1.21|round(1, 'ceil') }} {{ 1.29|round(1, 'floor') }} {{ 42|round }} {{ -2.5|round }} {{ 1234|round(-2) }}", {}),
    ("f-round-more", "{{ 0.125|round(2) }} {{ 0.375|round(2) }} {{ 1250|round(-2) }} {{ 1350|round(-2) }} {{ -1250|round(-2) }} {{ 1234.5|round(-2) }} {{ -0.4|round }} {{ 2.5|round(0, 'ceil') }} {{ 2|round(1, 'ceil') }}", {}),
    ("f-round-int-input", "{{ 7|round(0, 'floor') }} {{ 0.5|round }} {{ 1.5|round }}", {}),
    ("f-safe-string", "{{ '<b>'|safe }} {{ 12|string }} {{ [1]|string }}", {}),
    ("f-sort", "{{ nums|sort }} {{ nums|sort(reverse=true) }} {{ words|sort }} {{ words|sort(case_sensitive=true) }} {{ users|sort(attribute='age')|map(attribute='name')|list }}", {**NUMS, **WORDS, **USERS}),
    ("f-sort-mixed-numbers", "{{ [2, 1.5, true, 0]|sort }}", {}),
    ("f-sum", "{{ nums|sum }} {{ users|sum(attribute='age') }} {{ nums|sum(start=10) }} {{ [0.5, 1]|sum }}", {**NUMS, **USERS}),
    ("f-title", "{{ 'hello wORLD foo-bar x_y (paren) it\\'s'|title }}", {}),
    ("f-tojson", "{{ {'b': 1, 'a': [true, none, 1.5, 'x']}|tojson }} {{ '<a & \\'b\\'>'|tojson }} {{ 'é☃'|tojson }} {{ 'tab\\t\"'|tojson }}", {}),
    ("f-tojson-context", "{{ x|tojson }}", {"x": {"z": {"y": [1, 2]}, "a": "b", "n": 1.0}}),
    ("f-trim", "[{{ '  x  '|trim }}] [{{ 'xxhixx'|trim('x') }}] [{{ '\\n\\tx\\n'|trim }}]", {}),
    ("f-truncate", "{{ 'hello world foo bar'|truncate(9) }}|{{ 'hello world foo bar'|truncate(9, true) }}|{{ 'hello world'|truncate(9, leeway=0) }}|{{ 'short'|truncate(3) }}|{{ 'hello world foo'|truncate(11, end='~', leeway=0) }}", {}),
    ("f-truncate-long", "{{ ('word ' * 60)|truncate }}", {}),
    ("f-unique", "{{ words|unique|list }} {{ words|unique(case_sensitive=true)|list }} {{ [1, 2, 1, 1.0]|unique|list }} {{ users|unique(attribute='admin')|map(attribute='name')|list }}", WORDS | USERS),
    ("f-urlencode", "{{ 'a b&c/d?é'|urlencode }} {{ {'k': 'v w', 'x': 1}|urlencode }} {{ [['a/b', 'c d'], ['e', none]]|urlencode }} {{ 42|urlencode }}", {}),
    ("f-wordcount", "{{ 'one two, three-four  five'|wordcount }} {{ ''|wordcount }}", {}),
    ("f-replace-empty-count", "{{ 'abc'|replace('', '-', 2) }} {{ 'abc'|replace('', '-', 0) }} {{ 'abc'|replace('', '-', 9) }} {{ 'aaa'|replace('a', 'b', -5) }} {{ 'aaa'|replace('a', 'b', 0) }}", {}),
    ("unicode-code-points", "{{ s|length }} {{ s[1] }} {{ s|reverse }} {{ s|list }} {{ s[:2] }} {{ s|center(6) }}| {{ s.find('\u0301') }} {{ '\u0301' in s }} {{ 'e' in s }} {{ 'x' in s }} {{ '%-4s|'|format(s) }} {{ s|truncate(3, leeway=0, end='') }}", {"s": "e\u0301x"}),
    ("unicode-emoji", "{{ e|length }} {% for c in e %}[{{ c }}]{% endfor %}", {"e": "\U0001F44D\U0001F3FD"}),
    ("ws-edges", "{{- 'a' }}\n  {%- if true %}b{% endif -%}\n\n  c{# x #}\n", {}),
    ("ws-empty-and-newline", "\n", {}),
    ("ws-strip-only-whitespace-text", "{% if true %}   \n\t {%- endif %}x", {}),
    ("f-indent-crlf-value", "{{ v|indent(2) }}", {"v": "a\r\nb\rc"}),
    ("f-chain", "{{ '  Hello  '|trim|lower|replace('l', 'L')|center(9) }}|", {}),
    ("f-precedence-unary", "{{ -3|abs }} {{ (-3)|abs }} {{ -2 ** 2 }} {{ 1 ~ 2|string }}", {}),

    ("f-float-more", "{{ 'nan'|float }} {{ '-inf'|float }} {{ '1_000.5'|float }} {{ '0x10'|float }} {{ none|float(2) }} {{ '1__0'|float }} {{ '.5'|float }} {{ '5.'|float }}", {}),
    ("f-int-more", "{{ '1e3'|int }} {{ '010'|int(base=0) }} {{ '0o17'|int(0, 0) }} {{ '0x_ff'|int(0, 16) }} {{ '1_000'|int }} {{ '1__0'|int }} {{ '_1'|int }} {{ '4.7'|int(base=16) }} {{ none|int(5) }} {{ '  -12 '|int }} {{ '+7'|int }} {{ 'ff'|int(base=16) }} {{ 'FF'|int(0, 16) }}", {}),
    ("f-format-more", "{{ '%s|%r'|format(none, 'a') }} {{ '%-6s|'|format('ab') }} {{ '%+d'|format(5) }} {{ '%e'|format(12345.678) }} {{ '%g'|format(0.0001) }} {{ '%5.1f%%'|format(99.44) }} {{ '%i'|format(3.9) }} {{ '%.3s'|format('abcdef') }} {{ '%05d'|format(-42) }} {{ '%d'|format(true) }} {{ '%#x|%#o'|format(255, 8) }}", {}),
    ("op-percent-format", "{{ '%s' % 'a' }} {{ '%s and %s' % ('a', 'b') }} {{ '%d%%' % 50 }} {{ '%.2f' % 3.14159 }} {{ '%5s|%-5s|' % ('a', 'b') }} {{ '%(a)s' % {'a': 1} }}", {}),
    ("f-first-last-empty-defined", "{{ []|first is defined }} {{ []|max is defined }} {{ ''|last is defined }} {{ []|min|default('m') }} {{ [1]|first is defined }}", {}),
    ("f-max-min-ties", "{{ ['b', 'B', 'a', 'A']|max }} {{ ['b', 'B', 'a', 'A']|min }} {{ ['b', 'B', 'a', 'A']|sort(reverse=true) }} {{ [1, 1.0, true]|max }}", {}),
    ("f-none-and-strings", "{{ none|string }} {{ none|lower }} {{ '' ~ none }} {{ 5|center(5) }}| {{ [1, none]|join(',') }} {{ [0.1, 0.2]|sum }}", {}),
    ("f-length-precedence", "{{ nums|length > 2 }} {{ not nums|length }} {{ nums|length + 1 }}", NUMS),
    ("print-float-forms", "{{ 1e100 }} {{ 123456789012345678.0 }} {{ 0.0001 }} {{ 0.00001234 }} {{ -0.0 }} {{ 1e308 * 10 }} {{ 7 / 7 }} {{ 2.0 ** 62 }} {{ 1 / 3 * 3 }}", {}),
    ("print-output-keeps-its-newline", "{{ 'a\n' }}", {}),
    ("ws-plus-markers", "{%+ if true +%}x{%- endif %} {#+ c +#}{{+ 1 }} {%+ raw %}r{% endraw +%}", {}),
    ("ws-only-crlf", "\r\n", {}),
    ("scope-if-set-leaks", "{% if true %}{% set z = 1 %}{% endif %}{{ z }}", {}),
    ("scope-with-set-does-not-leak", "{% with %}{% set y = 1 %}{{ y }}{% endwith %}{{ y is defined }}", {}),
    ("scope-loop-var-after-loop", "{% for i in [1] %}{% endfor %}{{ i is defined }}", {}),
    ("scope-namespace-attr", "{% set ns = namespace() %}{% set ns.a = 1 %}{% set ns.b = ns.a + 1 %}{{ ns.a }}{{ ns.b }}", {}),
    ("loop-depth", "{% for x in [1] %}{{ loop.depth }}{{ loop.depth0 }}{% endfor %}", {}),
    ("dict-func", "{{ dict(a=1, b='x') }} {{ dict({'z': 1}, y=2) }}", {}),
    ("compare-lists-strings", "{{ [1, 2] < [1, 3] }} {{ 'abc' < 'abd' }} {{ 'B' < 'a' }} {{ [1] < [1, 0] }} {{ 'é' > 'z' }}", {}),
    ("precedence-in-not-is", "{{ 1 + 1 in [2] }} {{ not 1 in [2] }} {{ not none is none }} {{ [1, 2, 3]|sum / 3 }} {{ x is divisibleby 3 and true }}", {"x": 9}),
    ("range-filters", "{{ range(3)|join(',') }} {{ range(0)|list }} {{ range(10)|length }} {{ range(-3)|list }} {{ range(0, 10, 4)|last }}", {}),
    ("percent-format-list-vs-tuple", "{{ '%s' % [1, 2] }} {{ '%s' % [] }} {{ '%s-%s' % ('a', 'b') }} {{ '%s%%' % (5) }}", {}),
    ("and-or-none", "{{ true and none }} {{ false or none }} {{ 'a' is string and 'a' }}", {}),

    # Tests
    ("t-defined", "{{ x is defined }} {{ nope is defined }} {{ nope is undefined }} {{ conf.LMS_HOST is defined }} {{ conf.nope is defined }} {{ conf['nope'] is defined }}", {"x": None, **CONF}),
    ("t-defined-in-if", "{% if nope is defined and nope %}a{% else %}b{% endif %}", {}),
    ("t-types", "{{ none is none }} {{ 1 is number }} {{ 1.5 is number }} {{ 'a' is string }} {{ {} is mapping }} {{ [] is sequence }} {{ 'a' is sequence }} {{ 1 is sequence }} {{ 1 is integer }} {{ 1.0 is float }} {{ true is boolean }} {{ 1 is boolean }}", {}),
    ("t-number-bool", "{{ true is number }} {{ none is number }} {{ '1' is number }}", {}),
    ("t-even-odd-divisible", "{{ 4 is even }} {{ 3 is odd }} {{ 9 is divisibleby 3 }} {{ 10 is divisibleby(3) }} {{ 0 is even }} {{ -3 is odd }}", {}),
    ("t-comparisons", "{{ 1 is eq 1 }} {{ 1 is ne 2 }} {{ 1 is lt 2 }} {{ 2 is le 2 }} {{ 3 is gt 2 }} {{ 2 is ge 3 }} {{ 'a' is equalto 'a' }} {{ 2 is greaterthan 1 }} {{ 1 is lessthan 1 }}", {}),
    ("t-in-sameas", "{{ 2 is in [1, 2] }} {{ 'x' is in 'xyz' }} {{ none is sameas none }} {{ true is sameas true }} {{ 1 is sameas true }}", {}),
    ("t-lower-upper", "{{ 'abc' is lower }} {{ 'aBc' is lower }} {{ 'ABC' is upper }} {{ 'A1' is upper }}", {}),
    ("t-true-false", "{{ true is true }} {{ 1 is true }} {{ false is false }} {{ 0 is false }}", {}),
    ("t-not", "{{ 1 is not none }} {{ nope is not defined }} {{ 3 is not even }}", {}),
    ("t-iterable-callable", "{{ 'a' is iterable }} {{ 1 is iterable }} {{ {} is iterable }}", {}),
    ("t-filter-test", "{{ 'upper' is filter }} {{ 'nope' is filter }}", {}),
    ("t-precedence", "{{ 2 + 2 is even }} {{ not 3 is odd }} {{ 1 is number and 'x' is string }}", {}),

    ("t-numbers-float-even", "{{ 2.0 is even }} {{ 3.0 is odd }} {{ 6.0 is divisibleby 3 }} {{ 7 is divisibleby 2.0 }}", {}),
    ("t-lower-upper-uncased", "{{ 1 is lower }} {{ '' is lower }} {{ '1' is upper }} {{ 'a1' is lower }} {{ none is lower }}", {}),
    ("t-types-more", "{{ true is integer }} {{ none is mapping }} {{ {} is sequence }} {{ nums is iterable }} {{ 1.0 is integer }} {{ 'x' is mapping }}", NUMS),

    # Methods
    ("m-split", "{{ 'a,b,,c'.split(',') }} {{ ' a  b c '.split() }} {{ 'a,b,c'.split(',', 1) }} {{ 'a b c'.split(None, 1) }} {{ ''.split() }} {{ ''.split(',') }}", {}),
    ("m-rsplit", "{{ 'a.b.c'.rsplit('.', 1) }} {{ 'a b  c '.rsplit(None, 1) }} {{ 'a.b.c'.rsplit('.') }}", {}),
    ("m-split-index", "{{ conf.LMS_HOST.split('.')[0] }} {{ conf.LMS_HOST.split('.')|last }}", CONF),
    ("m-strip", "[{{ '  x '.strip() }}][{{ 'xyhixy'.strip('xy') }}][{{ '  x '.lstrip() }}][{{ '  x '.rstrip() }}][{{ '--a--'.rstrip('-') }}]", {}),
    ("m-startswith-endswith", "{{ 'hello'.startswith('he') }} {{ 'hello'.startswith(('x', 'h')) }} {{ 'hello'.endswith('lo') }} {{ 'hello'.endswith(('a', 'b')) }}", {}),
    ("m-replace-join", "{{ 'a-b-c'.replace('-', '_') }} {{ 'a-b-c'.replace('-', '', 1) }} {{ ', '.join(['x', 'y']) }} {{ '-'.join('abc') }}", {}),
    ("m-format", "{{ '{}:{}'.format('h', 80) }} {{ '{0}{1}{0}'.format('a', 'b') }} {{ '{name}!'.format(name='n') }} {{ '{{}}{}'.format(1) }}", {}),
    ("m-case", "{{ 'aB'.upper() }} {{ 'aB'.lower() }} {{ 'hello world'.title() }} {{ 'hELLO'.capitalize() }}", {}),
    ("m-title-vs-filter", "{{ \"they're bill's 2nd x_y\".title() }}|{{ \"they're bill's 2nd x_y\"|title }}", {}),
    ("m-find-count", "{{ 'hello'.find('l') }} {{ 'hello'.find('z') }} {{ 'hello'.count('l') }} {{ 'hello'.count('') }}", {}),
    ("m-is-predicates", "{{ '123'.isdigit() }} {{ 'ab1'.isalnum() }} {{ 'ab'.isalpha() }} {{ ' '.isspace() }} {{ 'ab'.islower() }} {{ 'AB'.isupper() }} {{ ''.isdigit() }} {{ '1'.islower() }}", {}),
    ("m-splitlines", "{{ 'a\\nb\\r\\nc\\n'.splitlines() }}", {}),
    ("m-dict", "{{ conf.keys()|list }} {{ conf.values()|list }} {{ conf.get('nope') }} {{ conf.get('nope', 'dflt') }} {{ conf.get('PORT', 1) }}", CONF),
    ("m-dict-items-loop", "{% for pair in {'a': 1}.items() %}{{ pair[0] }}{{ pair[1] }}{% endfor %}", {}),
    ("m-list", "{{ nums.index(2) }} {{ [1, 1, 2].count(1) }}", NUMS),

    # Realistic Tutor-like snippets
    ("tutor-env", "{% for k, v in env.items() %}\n- name: {{ k }}\n  value: \"{{ v }}\"\n{% endfor %}\n", {"env": {"A": 1, "B": True, "C": None}}),
    ("tutor-if-plugin", "{% if 'mfe' in PLUGINS %}mfe on{% endif %}{% if 'x' not in PLUGINS %} x off{% endif %}", {"PLUGINS": ["mfe", "indigo"]}),
    ("tutor-host-port", "{{ 'https' if ENABLE_HTTPS else 'http' }}://{{ LMS_HOST }}{% if PORT != 80 %}:{{ PORT }}{% endif %}", {"ENABLE_HTTPS": False, "LMS_HOST": "x.org", "PORT": 8000}),
    ("tutor-yaml-block", "settings:\n  {%- for k in keys %}\n  {{ k }}: {{ vals[k]|tojson }}\n  {%- endfor %}\n", {"keys": ["a", "b"], "vals": {"a": "x'y", "b": [1, None]}}),

    # Errors: StrictUndefined and Python type errors
    ("err-undefined-name", "{{ nope }}", {}),
    ("err-undefined-attr-printed", "{{ conf.nope }}", CONF),
    ("err-undefined-key-printed", "{{ conf['nope'] }}", CONF),
    ("err-undefined-in-if", "{% if nope %}x{% endif %}", {}),
    ("err-undefined-in-for", "{% for x in nope %}{% endfor %}", {}),
    ("err-undefined-concat", "{{ 'a' ~ nope }}", {}),
    ("err-undefined-attr-of-undefined", "{{ nope.x is defined }}", {}),
    ("err-add-int-string", "{{ 1 + 'a' }}", {}),
    ("err-tilde-binds-tighter-than-plus", "{{ 1 + 2 ~ 3 }}", {}),
    ("err-negate-applies-before-filter", "{{ -'5'|int }}", {}),
    ("err-max-of-empty-printed", "{{ []|max }}", {}),
    ("err-first-of-empty-printed", "{{ []|first }}", {}),
    ("err-none-length", "{{ none|length }}", {}),
    ("err-divisibleby-zero", "{{ 4 is divisibleby 0 }}", {}),
    ("err-floordiv-zero", "{{ 3 // 0 }}", {}),
    ("err-loop-over-int", "{% for x in 5 %}{% endfor %}", {}),
    ("err-loop-over-none", "{% for x in none %}{% endfor %}", {}),
    ("err-slice-step-zero", "{{ nums[::0] }}", NUMS),
    ("err-in-none", "{{ 'a' in none }}", {}),
    ("err-compare-none", "{{ none < 1 }}", {}),
    ("err-format-too-few", "{{ '%s %s'|format('a') }}", {}),
    ("err-format-too-many", "{{ '%s'|format('a', 'b') }}", {}),
    ("err-percent-d-string", "{{ '%d' % '3' }}", {}),
    ("err-nested-undefined-default", "{{ nope.x|default('d') }}", {}),
    ("err-attr-of-none", "{{ conf.NONE.x }}", CONF),
    ("err-undefined-plus", "{{ nope + 1 }}", {}),
    ("err-string-method-unknown", "{{ 'a'.nomethod() }}", {}),
    ("err-even-string", "{{ 'a' is even }}", {}),
    ("err-negate-list-before-length", "{{ -nums|length }}", NUMS),
    ("err-leading-zero-int", "{{ 007 }}", {}),
    ("err-selectattr-missing-attribute", "{{ users|selectattr('email')|list }}", USERS),
    ("err-map-missing-attribute-joined", "{{ users|map(attribute='email')|join(',') }}", USERS),
    ("repeated-named-argument-last-wins", "{{ '%(x)s'|format(x=1, x=2) }} {{ 'ab'|replace(old='a', new='1', old='b') }}", {}),
    ("err-format-args-and-kwargs", "{{ '%s'|format(1, x=2) }}", {}),
    ("err-truncate-shorter-than-end", "{{ 'hello world'|truncate(2) }}", {}),
    ("err-unknown-filter", "{{ 1|nofilter }}", {}),
    ("err-unknown-test", "{{ 1 is notatest }}", {}),
    ("err-index-out-of-range", "{{ nums[5] }}", NUMS),
    ("err-division-by-zero", "{{ 1 / 0 }}", {}),
    ("err-modulo-by-zero", "{{ 1 % 0 }}", {}),
    ("err-compare-mixed", "{{ 1 < 'a' }}", {}),
    ("err-unclosed-if", "{% if true %}x", {}),
    ("err-unclosed-output", "{{ x ", {"x": 1}),
    ("err-unknown-tag", "{% frobnicate %}", {}),
    ("err-endfor-mismatch", "{% for x in nums %}{% endif %}", NUMS),
    ("err-call-undefined", "{{ nope() }}", {}),
    ("err-unpack-count", "{% for a, b in [[1, 2, 3]] %}{% endfor %}", {}),
    ("err-in-int", "{{ 1 in 5 }}", {}),
    ("err-unterminated-string", "{{ 'abc }}", {}),
    ("err-loop-outside", "{{ loop.index }}", {}),
    ("err-join-undefined-item", "{{ [nope]|join }}", {}),
]


def render(template, context):
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    try:
        return env.from_string(template).render(**context), False
    except Exception:  # noqa: BLE001 - any failure is "raised"; the message is not compared
        return None, True


def main():
    names = set()
    out = []
    for name, template, context in CASES:
        assert name not in names, f"duplicate case name {name}"
        names.add(name)
        output, error = render(template, context)
        expects_error = name.startswith("err-")
        if error != expects_error:
            print(f"{name}: error={error}, but its name says {expects_error}")
        case = {"name": name, "template": template, "context": context}
        if error:
            case["error"] = True
        else:
            case["output"] = output
        out.append(case)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cases.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {len(out)} cases to {path} (jinja2 {jinja2.__version__})")


if __name__ == "__main__":
    main()
