#!/usr/bin/env python3
"""Renders the differential Jinja cases with the real jinja2 and writes cases.json.

tk8s's template engine (Sources/Runtime/Template) must print exactly what
Jinja2 3.x prints as Tutor configures it: `Environment(undefined=StrictUndefined)`,
everything else default. TemplateTests.swift replays cases.json, so the
Swift tests never need Python. Regenerate after editing CASES:

    python3 Tests/TemplateTests/Fixtures/jinja/make-cases.py   # needs jinja2 (pip install tutor)

Each case is (name, template, context). Contexts hold only JSON values; a
case whose rendering raises is recorded as `"error": true`, without the
message (tk8s words its errors its own way).

Left out on purpose, because tk8s does not support them: macros, call
blocks, extends/blocks/imports, recursive loops, `tojson(indent=…)`,
printing tuples or `range()` objects (tk8s has no tuple type), mappings with
non-string keys, `loop.changed`, and filters missing from TemplateFilters.names.
Also left out, where tk8s is knowingly more lenient or plainer than Python:
- lazy results: `select`, `reject`, `selectattr`, `rejectattr`, `map` and
  `unique` give generators in Jinja, which cannot be measured, reversed or
  indexed (`x|select('odd')|length` raises) and print as `<generator …>`;
  tk8s gives lists, so the cases always end such chains with `|list`, `|join`,
  `|first` or a loop;
- dict views and methods as values: `{{ d.items() }}` prints `dict_items([…])`
  and `d.items is defined` is true in Python; tk8s has the call's list only;
- tuples where Python refuses a list (`'x'.startswith(['a'])`,
  `['k', 'v'] in d.items()`): tk8s accepts both;
- Markup: `tojson`, `safe` and `escape` return Markup, and `markup + 'str'`
  escapes the right side (`'a'|tojson + '<'` is `"a"&lt;`); tk8s's results are
  plain strings;
- strings equal only after Unicode normalization (`'\u00e9' == 'e\u0301'`)
  are equal in tk8s, as mapping keys too; string methods and filters do work
  on code points, as Python's do;
- keyword arguments to Python's positional-only string methods
  (`replace(count=1)` is an error before Python 3.13);
- Jinja 3.1.6 bugs with nothing to compare: `{% set x | f(**kw) %}` fails
  with an AssertionError, and an infinity from constant folding inside a call
  (`'{:f}'.format(1e300 * 1e10)`) fails to compile.
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

FLAGS = {"d": {"a": 1, "b": 0, "c": "", "d": "x", "e": None, "f": [0]}}
SERVICES = {"services": {
    "lms": {"enable_hpa": True, "min": 2},
    "cms": {"enable_hpa": False},
    "mfe": {"enable_hpa": True, "max": 3},
    "worker": {},
}}
VALS = {"vals": [None, 0, 1, 1.5, "a", "", True, False, [], [1], {}, {"k": 1}]}
ITEMS = {"items": [
    {"id": "x", "meta": {"rank": 2, "on": True}},
    {"id": "y", "meta": {"rank": 1, "on": False}},
    {"id": "z", "meta": {"rank": 3, "on": True}},
]}

# Every spec with every value: `{:spec}`.format(value), one bracketed result each.
FORMAT_MATRIX = "{% for v in vals %}{% for s in specs %}[{{ ('{:' ~ s ~ '}').format(v) }}]{% endfor %}\n{% endfor %}"

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
    ("raw-middle-of-text", "a {% raw %}{{ b }}{% endraw %} c", {}),
    ("raw-strip-outside-only", "a  {%- raw %}  x  {% endraw -%}  b", {}),
    ("raw-strip-inside-only", "[{% raw -%}\n  x  \n{%- endraw %}]", {}),
    ("raw-newlines-kept", "{% raw %}\n{{ a }}\n{% endraw %}\n", {}),
    ("raw-no-spaces", "{%raw%}{%if%}{%endraw%}", {}),
    ("raw-endraw-lookalikes", "{% raw %}{% endrawx %}{% endraw x %}{{ '{% endraw' }}{%endraw_%}{% endraw %}", {}),
    ("raw-nested-raw-tag", "{% raw %}{% raw %}x{% endraw %}|", {}),
    ("raw-comment-inside", "{% raw %}{# not a comment #}{% endraw %}{# gone #}", {}),
    ("raw-in-loop", "{% for i in [1, 2] %}{% raw %}{{ i }}{% endraw %}={{ i }} {% endfor %}", {}),
    ("raw-in-set-block", "{% set s %}{% raw %}{{ x }}{% endraw %}{% endset %}{{ s|length }} {{ s }}", {}),
    ("raw-endraw-strip-markers", "a\n{%- raw -%}\n  x\n  {%- endraw -%}\nb {% raw %} y {%+ endraw +%} z", {}),
    ("raw-yaml-go-template", "command:\n  - '{% raw %}{{ .Values.x }}{% endraw %}'\n", {}),
    ("raw-tabs-and-crlf-strip", "a\t\r\n{%- raw -%}\r\n\tb\r\n{%- endraw -%}\r\n\tc", {}),
    ("raw-after-output-strip", "{{ 'a' -}}\n  {% raw %} b{% endraw %}", {}),
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
    ("print-dict-strings", "{{ d }}", {"d": {"q": "it's", "dq": 'say "hi"', "both": "a'b\"c", "bs": "back\\slash", "nl": "l1\nl2", "tab": "a\tb", "cr": "x\r", "uni": "héllo ☃ 😀", "ctl": "\x00\x1b\x7f", "empty": ""}}),
    ("print-dict-scalars", "{{ d }}", {"d": {"i": 1, "neg": -5, "zero": 0, "f": 1.5, "whole": 2.0, "tiny": 1e-07, "huge": 1e+22, "t": True, "f2": False, "n": None}}),
    ("print-dict-nested-lists", "{{ d }}", {"d": {"l": [1, "a", None, [True, []], {"k": [2.5]}], "e": {}, "el": [], "deep": {"a": {"b": {"c": "d"}}}}}),
    ("print-dict-quoted-keys", "{{ d }}", {"d": {"it's": 1, 'say "x"': 2, "k\\n": 3, "é": 4, "": 5}}),
    ("print-dict-literal", "{{ {'q': \"it's\", 'bs': 'a\\\\b', 'nl': 'a\\nb', 'u': 'é☃', 'i': 1, 'f': 0.5, 'b': false, 'n': none, 'l': [1, [2]], 'd': {}} }}", {}),
    ("print-dict-literal-vs-context", "{% set lit = {'a': 1, 'b': [true, none]} %}{{ lit }} {{ ctx }} {{ lit == ctx }}", {"ctx": {"a": 1, "b": [True, None]}}),
    ("print-dict-in-text", "x: {{ d }}; {{ d|string }} {{ 'd=' ~ d }} {{ [d] }}", {"d": {"a": "b"}}),
    ("print-bools-none-alone", "{{ t }} {{ f }} {{ n }} {{ true }} {{ none }} {{ t|string }} {{ n ~ '' }}", {"t": True, "f": False, "n": None}),
    ("print-bools-none-in-containers", "{{ [t, f, n] }} {{ {'t': t, 'n': n} }} {{ [true, false, none] }} {{ {'x': [none]} }} {{ l }}", {"t": True, "f": False, "n": None, "l": [True, None, False]}),
    ("print-list-of-dicts", "{{ users[:2] }}", USERS),
    ("print-dict-built-by-dict", "{% set d = dict(base, extra='x') %}{{ d }} {{ base }}", {"base": {"z": 1, "a": 2}}),
    ("print-dict-get-result", "{{ d.get('l') }} {{ d.get('m') }} {{ d.get('nope', {}) }} {{ d['l'][1] }}", {"d": {"l": [1, "x"], "m": {"k": None}}}),
    ("print-dict-floats", "{{ {'a': 0.1 + 0.2, 'b': 1e16, 'c': 1 / 3, 'd': -0.0, 'e': 100.0} }}", {}),

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
    ("for-if-loop-vars", "{% for x in nums if x != 1 %}{{ loop.index }}/{{ loop.length }}{{ loop.first }}{{ loop.last }}{{ loop.revindex0 }} {% endfor %}", NUMS),
    ("for-if-previtem-cycle", "{% for x in nums if x > 1 %}{{ loop.previtem|default('-') }}{{ x }}{{ loop.nextitem|default('-') }}{{ loop.cycle('a', 'b') }} {% endfor %}", NUMS),
    ("for-if-items-unpack", "{% for k, v in d.items() if v %}{{ k }}={{ v }};{% else %}none{% endfor %}", FLAGS),
    ("for-if-items-unpack-else", "{% for k, v in d.items() if v is string and v %}{{ k }}{% else %}no strings{% endfor %}|{% for k, v in d.items() if k == 'zz' %}{{ k }}{% else %}none{% endfor %}", FLAGS),
    ("for-if-dict-get", "{% for name, cfg in services.items() if cfg.get('enable_hpa') %}{{ name }}:{{ cfg.get('min', 1) }}-{{ cfg.get('max', 5) }} {% endfor %}", SERVICES),
    ("for-if-outer-vars", "{% set low = 2 %}{% for x in nums if x >= low and x is not none %}{{ x }}{% endfor %}", NUMS),
    ("for-if-keys", "{% for k in d if d[k] is not none %}{{ k }}{% if not loop.last %},{% endif %}{% endfor %}", FLAGS),
    ("for-if-string-method", "{% for c in 'a1b2c3' if c.isdigit() %}{{ c }}{{ loop.index }}{% endfor %}", {}),
    ("for-if-tests", "{% for x in [1, none, 'a', 2.5, [], {}] if x is number %}{{ x }} {% endfor %}{% for x in [1, none, 'a'] if x is not none %}[{{ x }}]{% endfor %}", {}),
    ("for-if-unpack-lists", "{% for name, port in [['lms', 8000], ['cms', 0], ['mfe', 8002]] if port %}{{ name }}:{{ port }}{{ ',' if not loop.last }}{% endfor %}", {}),
    ("for-if-loop-is-the-outer-loop", "{% for a in [1, 2] %}{% for b in [1, 2, 3] if b != loop.index %}{{ a }}{{ b }} {% endfor %}{% endfor %}", {}),
    ("for-if-nested-else", "{% for a in [[], [1], [0]] %}{% for b in a if b %}{{ b }}{% else %}-{% endfor %}{% endfor %}", {}),
    ("for-if-inline-if-condition", "{% for x in nums if (x > 1 if flag else x < 3) %}{{ x }}{% endfor %}", {**NUMS, "flag": True}),
    ("for-if-like-selectattr", "{% for u in users if u.admin %}{{ u.name }}{% endfor %}={{ users|selectattr('admin')|map(attribute='name')|join }}", USERS),
    ("for-if-target-does-not-leak", "{% set x = 5 %}{% for x in nums if x > 1 %}{{ x }}{% endfor %}{{ x }}", NUMS),

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
    ("set-block-plain-multiline", "{% set s %}\n  a: {{ 1 }}\n  b: 2\n{% endset %}[{{ s }}]", {}),
    ("set-block-strip", "{% set s -%}\n  hello\n{%- endset %}[{{ s }}]", {}),
    ("set-block-filter-chain-args", "{% set s | replace('a', 'o') | upper | indent(2, first=true) %}banana\nsplit{% endset %}[{{ s }}]", {}),
    ("set-block-filter-trim-format", "{% set s | trim | format('x', 2) %}  %s-%d  {% endset %}[{{ s }}]", {}),
    ("set-block-filter-named-args", "{% set s | indent(width=3, blank=true) | replace(old='b', new='B', count=1) %}a\n\nb\nb{% endset %}[{{ s }}]", {}),
    ("set-block-filter-list-and-join", "{% set s | list | join('.') %}abc{% endset %}{{ s }}", {}),
    ("set-block-filter-tojson", "{% set s | tojson %}<a href='x'>&</a>{% endset %}{{ s }}", {}),
    ("set-block-filter-uses-vars", "{% set n = 3 %}{% set s | center(n * 3) %}{% for i in range(n) %}{{ i }}{% endfor %}{% endset %}[{{ s }}]", {}),
    ("set-block-then-methods", "{% set hosts | trim %}  a.b.c  {% endset %}{{ hosts.split('.') }} {{ hosts|length }} {{ hosts is string }}", {}),
    ("set-block-in-loop", "{% for i in [1, 2] %}{% set s %}x{{ i }}{% endset %}{{ s }}{% endfor %} {{ s is defined }}", {}),
    ("set-block-reads-old-value", "{% set s = 'old' %}{% set s | upper %}{{ s }}-new{% endset %}{{ s }}", {}),
    ("set-block-empty", "{% set s %}{% endset %}[{{ s }}] {{ s|length }}", {}),
    ("set-block-with-raw-and-comment", "{% set s | trim %} {# c #}{% raw %}{{ r }}{% endraw %} {% endset %}[{{ s }}]", {}),
    ("set-block-filter-default", "{% set s | default('unused') %}v{% endset %}{{ s }}", {}),

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
    ("f-tojson-html-unsafe", "{{ {'a': '<b>', 'c': \"it's & more\"}|tojson }} {{ ['<', '>', '&', \"'\", '\"']|tojson }} {{ '</script>'|tojson }} {{ \"<a href='x'>&amp;</a>\"|tojson }}", {}),
    ("f-tojson-nested-context", "{{ d|tojson }}", {"d": {"z": [1, 2.5, None, True], "a": {"y": "<x>", "b": "é\n"}, "m": {}, "e": []}}),
    ("f-tojson-scalars", "{{ 1|tojson }} {{ 1.0|tojson }} {{ none|tojson }} {{ true|tojson }} {{ ''|tojson }} {{ 1e-07|tojson }} {{ 'a\\u2028b'|tojson }} {{ '😀\\x7f'|tojson }} {{ 0.1|tojson }}", {}),
    ("f-tojson-in-attribute", "<div data-config='{{ d|tojson }}'></div>", {"d": {"msg": "it's <here> & there"}}),
    ("f-tojson-keys-sorted", "{{ d|tojson }} {{ {'b': {'d': 1, 'c': 2}, 'a': [{'z': 1, 'y': 2}]}|tojson }}", {"d": {"b": 1, "B": 2, "a": 3, "_": 4, "10": 5, "9": 6}}),
    ("f-default-more", "{{ d.x|default('a')|upper }} {{ none|default('n', true) }} {{ false|default('f') }} {{ false|default('f', true) }} {{ d.get('q')|default('dq') }} {{ nope|default(nope2|default('deep')) }} {{ nope|d([])|length }} [{{ nope|default }}] {{ nums[9]|default('oob') }} {{ d.n|default('none-kept') }} {{ d.e|default('e', boolean=true) }} {{ nope|default(d.x|default('z')) }}", {"d": {"n": None, "e": ""}, **NUMS}),
    ("f-default-in-expressions", "{{ (nope|default(2)) * 3 }} {{ nope|default(1) + 1 }} {{ nope|default('a') ~ 'b' }} {{ 'x' if nope|default(false) else 'y' }} {{ [nope|default(0)] }} {{ {'k': nope|default(none)} }}", {}),
    ("f-length-more", "{{ d|length }} {{ d.items()|length }} {{ 'é☃'|length }} {{ range(4)|length }} {{ ''|length }} {{ []|count }} {{ users|map(attribute='name')|list|length }} {{ (nums + [4])|length }} {{ 'abc'.split('b')|length }}", {"d": {"a": 1, "b": 2}, **NUMS, **USERS}),
    ("f-indent-options", "[{{ s|indent }}]\n[{{ s|indent(first=true) }}]\n[{{ s|indent(2, blank=true) }}]\n[{{ s|indent(width=3, first=true, blank=true) }}]\n[{{ s|indent('\\t') }}]", {"s": "a\n\n  \nb\n"}),
    ("f-indent-patch-style", "spec:\n  containers:\n    {{ block|indent(4) }}\n  after: 1", {"block": "- name: lms\n  image: x\n\n- name: cms\n"}),
    ("f-indent-zero-negative", "[{{ 'a\\nb'|indent(0) }}][{{ 'a\\nb'|indent(-1) }}][{{ 'a\\nb'|indent('') }}]", {}),
    ("f-join-more", "{{ d|join(',') }} {{ [1, none, true, 1.5]|join('-') }} {{ users|join(', ', attribute='age') }} [{{ []|join(',') }}] {{ 'abc'|join }} {{ [[1], {'a': 1}]|join(';') }} {{ nums|join(d='+') }}", {"d": {"x": 1, "y": 2}, **NUMS, **USERS}),
    ("f-list-more", "{{ d|list }} {{ d.values()|list }} {{ 'ab'|list }} {{ range(3)|list }} {{ nums|list }} {{ []|list }} {{ d.items()|list|length }}", {"d": {"x": 1, "y": [2]}, **NUMS}),
    ("f-sort-more", "{{ d|sort }} {{ [[2, 'b'], [1, 'z'], [1, 'a']]|sort }} {{ ['b', 'A', 'a', 'B']|sort }} {{ ['b', 'A', 'a', 'B']|sort(case_sensitive=true) }} {{ [3, 1.5, 2]|sort(true) }} {{ users|sort(attribute='age', reverse=true)|map(attribute='name')|join }} {{ ['10', '9', '1']|sort }} {{ [true, false]|sort }}", {"d": {"b": 1, "a": 2, "C": 3}, **USERS}),
    ("f-sort-multiple-attributes", "{{ users|sort(attribute='admin,age')|map(attribute='name')|join }} {{ users|sort(attribute='admin,name', reverse=true)|map(attribute='name')|join }} {{ pairs|sort(attribute='1,0')|list }}", {**USERS, "pairs": [["b", 2], ["a", 2], ["c", 1]]}),
    ("f-sort-nested-attribute", "{{ items|sort(attribute='meta.rank')|map(attribute='id')|list }} {{ items|map(attribute='meta.rank')|list }} {{ items|selectattr('meta.on')|map(attribute='id')|list }}", ITEMS),
    ("f-unique-more", "{{ ['a', 'A', 'b']|unique|list }} {{ ['a', 'A', 'b']|unique(true)|list }} {{ [1, '1', 1.0, true, 2]|unique|list }} {{ 'abcab'|unique|join }} {{ users|unique(attribute='admin')|map(attribute='name')|list }} {{ d|unique|list }} {{ []|unique|list }}", {"d": {"a": 1, "b": 2}, **USERS}),
    ("f-select-reject-tests", "{{ vals|select('none')|list }} {{ vals|reject('none')|list }} {{ vals|select('string')|list }} {{ vals|select('number')|list }} {{ vals|select('mapping')|list }} {{ vals|select('sameas', false)|list }} {{ vals|select('boolean')|list }} {{ vals|select('integer')|list }} {{ vals|select('float')|list }} {{ vals|select('iterable')|list }} {{ vals|select('sequence')|list }} {{ vals|select('defined')|list|length }} {{ vals|reject('undefined')|list|length }} {{ vals|select('true')|list }} {{ vals|select('false')|list }}", VALS),
    ("f-select-comparison-tests", "{{ nums|select('ne', 2)|list }} {{ nums|select('==', 2)|list }} {{ nums|select('>=', 2)|list }} {{ nums|reject('lt', 2)|list }} {{ nums|select('even')|list }} {{ nums|select('divisibleby', 3)|list }} {{ words|select('lower')|list }} {{ words|select('upper')|list }} {{ words|select('in', ['apple', 'cherry'])|list }} {{ words|reject('equalto', 'apple')|list }} {{ nums|select('gt', 1)|first }} {{ nums|select('odd')|join(',') }}", {**NUMS, **WORDS}),
    ("f-map-attribute-more", "{{ users|map(attribute='name')|join(',') }} {{ users|map(attribute='email', default='none')|list }} {{ pairs|map(attribute='0')|list }} {{ pairs|map('first')|list }} {{ pairs|map('last')|list }} {{ users|map(attribute='name')|map('upper')|list }} {{ users|map(attribute='name')|map('length')|sum }} {{ nums|map('string')|join('+') }} {{ items|map(attribute='meta')|map(attribute='rank')|list }}", {**USERS, "pairs": [["a", 1], ["b", 2]], **ITEMS, **NUMS}),
    ("f-selectattr-more", "{{ users|selectattr('age', '>', 30)|map(attribute='name')|list }} {{ users|selectattr('name', 'in', ['ann', 'cy'])|map(attribute='age')|list }} {{ users|selectattr('email', 'undefined')|map(attribute='name')|list }} {{ users|selectattr('admin', 'sameas', true)|map(attribute='name')|list }} {{ users|rejectattr('admin')|map(attribute='name')|first }} {{ users|selectattr('name', 'equalto', 'bob')|first }} {{ users|selectattr('name', 'ne', 'bob')|list|length }} {{ users|rejectattr('age', 'lt', 30)|map(attribute='name')|join }} {{ users|selectattr('email', 'defined')|map(attribute='email')|first }}", USERS),
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
    ("unicode-code-point-methods", "{{ s.replace('e', 'x') }} {{ s.startswith('e') }} {{ s.endswith('\u0301') }} {{ s.count('e') }} {{ s.split('\u0301') }} {{ s|replace('\u0301', '') }} {{ s.removesuffix('\u0301') }} {{ (s ~ s).rsplit('e', 1) }} {{ s.strip('e') }}", {"s": "e\u0301"}),
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

    # Calls with *args and **kwargs
    ("call-dict-items-kwargs", "{{ dict(a.items(), **b) }}", {"a": {"x": 1, "y": 2}, "b": {"y": 3, "z": 4}}),
    ("call-dict-named-and-kwargs", "{{ dict(a=1, **d) }} {{ dict(**d) }} {{ dict(d, **{}) }} {{ dict() }}", {"d": {"b": 2, "c": [3]}}),
    ("call-dict-kwargs-order", "{{ dict({'z': 0, 'a': 0}, a=1, m=2, **{'z': 3}) }}", {}),
    ("call-dict-pairs", "{{ dict([['a', 1], ('b', 2)]) }} {{ dict(d.items()) == d }} {{ dict(d.items(), c=3)|length }}", {"d": {"a": 1, "b": 2}}),
    ("call-tutor-autoscaling", "{% set cfg = dict(defaults.items(), **extra) %}{% for service, s in cfg.items() if s.get('enable_hpa') %}{{ service }}:{{ s.min_replicas }} {% endfor %}", {"defaults": {"lms": {"enable_hpa": True, "min_replicas": 1}, "cms": {"enable_hpa": False, "min_replicas": 1}}, "extra": {"cms": {"enable_hpa": True, "min_replicas": 2}, "worker": {"min_replicas": 4}}}),
    ("call-format-star-pair", "{{ '{}-{}'.format(*pair) }} {{ '{}{}{}'.format('x', *pair) }} {{ '{1}/{0}'.format(*pair) }} {{ '{}:{}'.format(*('h', 80)) }}", {"pair": ["a", 1]}),
    ("call-format-star-string-and-dict", "{{ '{}{}'.format(*'ab') }} {{ '{}+{}'.format(*{'k': 1, 'j': 2}) }}", {}),
    ("call-format-kwargs", "{{ '{a}/{b}'.format(**d) }} {{ '{a}{c}'.format(c='!', **d) }} {{ '{0}{a}'.format(*pair, **d) }}", {"d": {"a": "x", "b": 2}, "pair": ["p", "q"]}),
    ("call-filter-star-args", "{{ 'abc'|replace(*['b', 'X']) }} {{ 'a\nb'|indent(**opts) }} {{ 'x-y-z'|replace(*pair, **cnt) }}", {"opts": {"width": 2, "first": True}, "pair": ["-", "+"], "cnt": {"count": 1}}),
    ("call-range-star", "{{ range(*bounds)|list }} {{ range(*[3])|list }}", {"bounds": [1, 7, 2]}),
    ("call-namespace-kwargs", "{% set ns = namespace(**d) %}{% set ns.b = ns.a + 1 %}{{ ns.a }}{{ ns.b }}", {"d": {"a": 1}}),
    ("call-method-star", "{{ 'a,b,c'.split(*[',', 1]) }} {{ d.get(*['nope', 'dflt']) }} {{ 'x'.join(*[['1', '2']]) }}", {"d": {}}),
    ("call-trailing-comma", "{{ dict(a=1,) }} {{ '{}'.format(1,) }} {{ range(2,)|list }}", {}),
    ("call-named-after-star", "{{ '{}{x}'.format(*['a'], x='b') }}", {}),
    ("call-namespace-pairs", "{% set ns = namespace([['a', 1]], b=2) %}{{ ns.a }}{{ ns.b }}", {}),

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
    ("t-defined-more", "{{ d.a is defined }} {{ d['x'] is defined }} {{ d.a.b is defined }} {{ d.a.b is none }} {{ d.get('zz') is defined }} {{ d.get('zz') is none }} {{ nums[10] is defined }} {{ nums.1 is defined }} {{ 'abc'[5] is defined }} {{ none is defined }} {{ n is defined }} {{ n is none }} {{ d.a is not none }}", {"d": {"a": {"b": None}}, "n": None, **NUMS}),
    ("t-defined-in-conditions", "{% if d.x is defined and d.x %}x{% elif d.a is defined %}a{% endif %}{{ 'y' if d.nope is undefined }}{% if nope is not defined or nope.x %}!{% endif %}", {"d": {"a": 1}}),
    ("t-none-more", "{{ none is none }} {{ 0 is none }} {{ '' is none }} {{ [] is none }} {{ d.n is none }} {{ d.n is not none }} {{ (d.n or 'x') is none }}", {"d": {"n": None}}),

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
    ("m-format-positional-named", "{{ '{0}-{1}-{0}'.format('a', 'b') }} {{ '{}{}'.format(1, 2.5) }} {{ '{x}{y}{x}'.format(x='+', y=none) }} {{ '{0}{name}'.format('a', name=[1]) }} {{ '{}'.format({'k': 'v'}) }} {{ '{} {}'.format(true, none) }}", {}),
    ("m-format-escaped-braces", "{{ '{{}}'.format() }} {{ '{{{}}}'.format('x') }} {{ '{{x}} {}'.format(1) }} {{ 'no fields'.format(1, a=2) }}", {}),
    ("m-format-align-width", "[{{ '{:>5}'.format('ab') }}][{{ '{:<5}'.format('ab') }}][{{ '{:^6}'.format('ab') }}][{{ '{:^5}'.format('ab') }}][{{ '{:5}'.format('ab') }}][{{ '{:5}'.format(42) }}][{{ '{:*>4}'.format(7) }}][{{ '{:-^9}'.format('mid') }}][{{ '{:=+6}'.format(-42) }}][{{ '{:2}'.format('long') }}][{{ '{:<05}'.format(3) }}][{{ '{:0>4}'.format('a') }}]", {}),
    ("m-format-numbers", "{{ '{:05d}'.format(42) }} {{ '{:+d}'.format(5) }} {{ '{: d}'.format(5) }} {{ '{:,}'.format(1234567) }} {{ '{:_}'.format(1234567) }} {{ '{:x} {:X} {:#x} {:o} {:#o} {:b} {:#b}'.format(255, 255, 255, 8, 8, 5, 5) }} {{ '{:c}'.format(65) }} {{ '{:d}'.format(true) }} {{ '{:,d}'.format(-1000) }} {{ '{:08,d}'.format(12345) }} {{ '{:_x}'.format(1048575) }} {{ '{:#010x}'.format(255) }} {{ '{:n}'.format(1234) }} {{ '{:-d}'.format(-3) }}", {}),
    ("m-format-floats", "{{ '{:.2f}'.format(3.14159) }} {{ '{:8.3f}|'.format(2.5) }} {{ '{:08.3f}'.format(-2.5) }} {{ '{:e}'.format(12345.678) }} {{ '{:.2E}'.format(0.000123) }} {{ '{:g}'.format(0.0001) }} {{ '{:g}'.format(1e16) }} {{ '{:.3g}'.format(1234.5) }} {{ '{:.1%}'.format(0.1234) }} {{ '{:%}'.format(1) }} {{ '{:.0f}'.format(2.5) }} {{ '{:,.2f}'.format(1234567.891) }} {{ '{:f}'.format(3) }} {{ '{:.1f}'.format(true) }} {{ '{:G}'.format(1e-10) }} {{ '{:#.0f}'.format(1) }}", {}),
    ("m-format-float-no-type", "{{ '{:}'.format(1.0) }} {{ '{:.3}'.format(3.14159) }} {{ '{:10}|'.format(1.5) }} {{ '{:.2}'.format(100.0) }} {{ '{:+}'.format(0.5) }} {{ '{:.3}'.format(1e-10) }} {{ '{:,}'.format(1234.5) }} {{ '{:.1}'.format(0.05) }} {{ '{:e}'.format(0) }}", {}),
    ("m-format-strings-precision", "{{ '{:.3}'.format('abcdef') }} {{ '{:>6.2}|'.format('abc') }} {{ '{:s}'.format('x') }} {{ '{:5}|{:>5}|'.format(true, true) }} {{ '{:<4}|'.format('é') }}", {}),
    ("m-format-conversions", "{{ '{!r}'.format('a') }} {{ '{0!r:>6}'.format('b') }} {{ '{!s}'.format(1) }} {{ '{!r}'.format([1, 'x']) }} {{ '{!a}'.format('é') }} {{ '{name!r}'.format(name=none) }} {{ '{!s:>4}'.format(none) }}", {}),
    ("m-format-field-index", "{{ '{0[1]}'.format(['a', 'b']) }} {{ '{d[k]}'.format(d={'k': 'v'}) }} {{ '{0[k][0]}'.format({'k': ['z']}) }} {{ '{[0]}{[1]}'.format('xy', 'ab') }}", {}),
    ("m-format-nested-spec", "[{{ '{:{w}}'.format('a', w=4) }}][{{ '{:>{}}'.format('b', 3) }}][{{ '{0:{1}.{2}f}'.format(3.14159, 8, 2) }}]", {}),
    ("m-format-auto-numbering-in-spec", "{{ '{:{}}|{}'.format('a', 3, 'b') }} {{ '{:é^5}'.format('x') }} {{ '{0:{fill}>{w}}'.format(7, fill='.', w=3) }}", {}),
    ("m-format-values", "{{ '{}|{}|{}|{}'.format(nums, conf.NONE, 1.0, conf) }}", {**NUMS, **CONF}),
    ("m-format-spec-matrix-ints", FORMAT_MATRIX, {"vals": [0, 7, -42, 1234567, 255, True], "specs": ["", "d", "5", "<6", ">6", "^7", "=+8", "+", " ", "08", "08,", ",", "_", "x", "#x", "#X", "08b", "#o", "_b", "*^9,", "010_x", "-5", "n", "e", ".2f", "%", ".1%", "g", "09.3f", "+08.2e", "#010b"]}),
    ("m-format-spec-matrix-floats", FORMAT_MATRIX, {"vals": [0.0, -0.0, 1.5, -2.675, 1234567.891, 1e-07, 1e22, 0.1, 2.5, 100.0], "specs": ["", ".0f", ".1f", ".2f", "8.3f", "<10.2f", "^12,.2f", "+.3e", "e", "E", "g", "G", ".3g", "#.3g", ".10g", "%", ".0%", ",", "_", "010", "010.1f", ".3", ".1", "10", "z.1f", "n", "#.0f", "#.0e", "=+12,.1f", ".0e", "#g", "#", "#.1", "#.3", ".4", "^+9.2"]}),
    ("m-format-spec-matrix-strings", FORMAT_MATRIX, {"vals": ["", "a", "héllo", "ab cd", "😀x"], "specs": ["", "s", "5", "<5", ">5", "^6", "*^7", ".2", ">6.3", "05", "é<4", ".0", "3s", "^1"]}),
    ("m-removeprefix-removesuffix", "{{ 'mongodb+srv://h'.removeprefix('mongodb+srv://') }} {{ 'abc'.removeprefix('x') }} {{ 'abc'.removeprefix('') }} {{ 'file.yml'.removesuffix('.yml') }} {{ 'a.yml.yml'.removesuffix('.yml') }} {{ 'abc'.removesuffix('abcd') }} {{ 'aaa'.removeprefix('a') }} [{{ 'abc'.removesuffix('abc') }}]", {}),
    ("m-startswith-endswith-tuples", "{{ url.startswith(('http://', 'https://')) }} {{ url.endswith(('.org', '.com')) }} {{ url.startswith(('ftp',)) }} {{ 'x'.startswith(()) }} {{ ''.startswith('') }} {{ 'hello'.startswith('l', 2) }} {{ 'hello'.endswith('l', 0, 4) }} {{ 'hello'.startswith(('a', 'e'), 1) }} {{ 'hello'.startswith('h', -5) }} {{ 'hello'.endswith('o', 1, -1) }} {{ 'hello'.startswith('', 9) }}", {"url": "https://x.org"}),
    ("m-split-maxsplit", "{{ 'a,b,c,d'.split(',', 2) }} {{ 'a,b,c,d'.split(',', maxsplit=1) }} {{ 'a,b,c'.split(',', 0) }} {{ 'a b  c d'.split(None, 2) }} {{ '  a b  '.split(None, 0) }} {{ '  a b  '.split(maxsplit=1) }} {{ 'a b c'.split(' ', -1) }} {{ 'a::b::c'.split('::') }} {{ 'a\tb\nc  d'.split() }} {{ 'a,b'.split(sep=',') }}", {}),
    ("m-rsplit-maxsplit", "{{ 'a.b.c.d'.rsplit('.', 2) }} {{ 'a.b.c'.rsplit('.', maxsplit=1)[0] }} {{ '  a b  '.rsplit(None, 0) }} {{ ' a b c '.rsplit(None, 1) }} {{ 'a b c'.rsplit() }} {{ 'a::b::c'.rsplit('::', 1) }} {{ 'aaa'.rsplit('aa', 1) }} {{ 'aaa'.split('aa', 1) }}", {}),
    ("m-strip-variants", "[{{ '\t a \n'.strip() }}][{{ 'xxhixx'.lstrip('x') }}][{{ 'xxhixx'.rstrip('x') }}][{{ 'abcba'.strip('ab') }}][{{ 'abc'.strip('') }}][{{ '  a  '.strip(none) }}][{{ '  a  '.lstrip(none) }}][{{ 'www.example.com'.strip('cmowz.') }}][{{ '\u00a0a\u3000'.strip() }}][{{ '\x1fa\x1c'.strip() }}][{{ '\u200ba'.strip() }}]", {}),
    ("m-strip-code-points", "[{{ s.strip('\u0301') }}][{{ s.rstrip('\u0301') }}][{{ s.lstrip('e') }}][{{ (s ~ ' ').strip() }}]", {"s": "e\u0301"}),
    ("m-split-python-whitespace", "{{ 'a\x1fb\x85c\u00a0d\u200be'.split() }} {{ '\x1c a \x1d'.rsplit(None, 1) }}", {}),
    ("m-join", "{{ ', '.join(['a', 'b']) }} {{ ''.join(nums|map('string')) }} {{ '-'.join(d) }} {{ '/'.join(d.keys()) }} {{ '+'.join('xyz') }} {{ '|'.join([]) }}| {{ ','.join(d.values()) }}", {**NUMS, "d": {"k1": "v1", "k2": "v2"}}),
    ("m-replace-count", "{{ 'aaaa'.replace('a', 'b', 2) }} {{ 'aaa'.replace('a', 'b', -1) }} {{ 'aaa'.replace('a', 'b', 0) }} {{ 'abc'.replace('', '-') }} {{ 'abc'.replace('', '-', 2) }} {{ 'a.b.c'.replace('.', '') }} {{ 'x'.replace('x', 'xx', 5) }}", {}),
    ("m-case-more", "{{ 'hello WORLD'.upper() }} {{ 'Hello WORLD'.lower() }} {{ 'hello wORLD-foo_bar 3rd'.title() }} {{ 'hello WORLD'.capitalize() }} {{ 'ß'.upper() }} [{{ ''.capitalize() }}] {{ '1abc'.capitalize() }} {{ 'ÉCOLE'.lower() }}", {}),
    ("m-in-tests", "{{ 'b' in 'abc' }} {{ 'ab' in 'abc' }} {{ 'x' not in d }} {{ 'k1' in d }} {{ 'v1' in d.values() }} {{ 'k2' in d.keys() }} {{ ('k1', 'v1') in d.items() }} {{ 'v1' in d }} {{ 1 in [1.0] }} {{ [1] in [[1], 2] }} {{ none in [none] }} {{ '' in '' }}", {"d": {"k1": "v1", "k2": "v2"}}),
    ("m-dict-get-defaults", "{{ d.get('a') }} {{ d.get('nope') }} {{ d.get('nope', 'dflt') }} {{ d.get('nope', {}).get('x', 'y') }} {{ d.get('n', 'unused') }} {{ d.get('l', [])|length }} {{ d.get('nope', none) is none }} {{ d.get('a', 0) + 1 }}", {"d": {"a": 1, "n": None, "l": [1, 2]}}),
    ("m-dict-views", "{{ d.keys()|list }} {{ d.values()|list }} {{ d.items()|length }} {{ d.keys()|join(',') }} {{ d.values()|sum }} {{ d.items()|map('first')|list }} {{ d.items()|map(attribute='1')|list }} {{ d.keys()|sort|first }} {{ d.values()|max }} {{ d.items()|list|length }}", {"d": {"b": 2, "a": 1, "c": 3}}),
    ("m-dict-items-sorted-loop", "{% for k, v in d.items()|sort %}{{ k }}{{ v }}{% endfor %} {% for k, v in d.items()|sort(attribute='1', reverse=true) %}{{ k }}{% endfor %}", {"d": {"b": 2, "a": 1, "c": 3}}),
    ("m-chained", "{{ host.split('.')[1:]|join('.') }} {{ host.upper().replace('.', '_').split('_')|last }} {{ ' A-b '.strip().lower().split('-') }} {{ url.removeprefix('https://').split('/')[0] }}", {"host": "lms.example.com", "url": "https://x.org/path"}),

    # Realistic Tutor-like snippets
    ("tutor-env", "{% for k, v in env.items() %}\n- name: {{ k }}\n  value: \"{{ v }}\"\n{% endfor %}\n", {"env": {"A": 1, "B": True, "C": None}}),
    ("tutor-if-plugin", "{% if 'mfe' in PLUGINS %}mfe on{% endif %}{% if 'x' not in PLUGINS %} x off{% endif %}", {"PLUGINS": ["mfe", "indigo"]}),
    ("tutor-host-port", "{{ 'https' if ENABLE_HTTPS else 'http' }}://{{ LMS_HOST }}{% if PORT != 80 %}:{{ PORT }}{% endif %}", {"ENABLE_HTTPS": False, "LMS_HOST": "x.org", "PORT": 8000}),
    ("tutor-yaml-block", "settings:\n  {%- for k in keys %}\n  {{ k }}: {{ vals[k]|tojson }}\n  {%- endfor %}\n", {"keys": ["a", "b"], "vals": {"a": "x'y", "b": [1, None]}}),
    ("tutor-format-url", "{{ '{}://{}'.format('https' if ENABLE_HTTPS else 'http', LMS_HOST) }} {{ '{}:{}'.format(LMS_HOST, PORT) }} {{ 'mongodb+srv://x'.startswith('mongodb+srv://') }}", {"ENABLE_HTTPS": True, "LMS_HOST": "lms.x.org", "PORT": 80}),
    ("tutor-jwk-like", "{% set keys = {'n': 'AQAB', 'kid': \"it's\"} %}{\"keys\": [{{ keys|tojson }}]} {{ {'k': [1, none, true]}|tojson }}", {}),
    ("tutor-autoscaling-hpa", "{% set cfg = dict(base.items(), **extra) %}{% for service, s in cfg.items() if s.get('enable_hpa') %}\n---\nname: {{ service }}-hpa\nmin: {{ s.get('min_replicas', 1) }}\nmax: {{ [s.get('max_replicas', 1), 1]|max }}{% endfor %}", {"base": {"lms": {"enable_hpa": True, "min_replicas": 1, "max_replicas": 4}}, "extra": {"cms": {"enable_hpa": True}}}),

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
    ("err-raw-unclosed", "{% raw %}{{ x }}", {}),
    ("err-raw-plus-open", "{% raw +%}x{% endraw %}", {}),
    ("err-raw-endraw-with-arguments", "{% raw %}x{% endraw x %}", {}),
    ("err-endraw-alone", "{% endraw %}", {}),
    ("err-set-block-unclosed", "{% set s %}x", {}),
    ("err-set-block-unknown-filter", "{% set s | nofilter %}x{% endset %}", {}),
    ("err-set-block-two-names", "{% set a, b %}x{% endset %}", {}),
    ("err-for-if-loop-in-condition", "{% for x in nums if loop.index > 1 %}{{ x }}{% endfor %}", NUMS),
    ("err-for-if-undefined-in-condition", "{% for x in nums if x > nope %}{{ x }}{% endfor %}", NUMS),
    ("err-for-if-unpack", "{% for k, v in [1, 2] if k %}{% endfor %}", {}),
    ("err-call-kwargs-not-mapping", "{{ dict(**[1]) }}", {}),
    ("err-call-kwargs-none", "{{ dict(**none) }}", {}),
    ("err-call-star-not-iterable", "{{ '{}'.format(*5) }}", {}),
    ("err-call-star-none", "{{ '{}'.format(*none) }}", {}),
    ("err-call-dict-duplicate-kwarg", "{{ dict(a=1, **{'a': 2}) }}", {}),
    ("err-call-dict-two-positional", "{{ dict(d.items(), d) }}", {"d": {"a": 1}}),
    ("err-call-dict-bad-pairs", "{{ dict([1, 2]) }}", {}),
    ("err-call-dict-triple", "{{ dict([['a', 1, 2]]) }}", {}),
    ("err-call-format-star-too-few", "{{ '{}-{}'.format(*['a']) }}", {}),
    ("err-call-format-missing-kwarg", "{{ '{a}{b}'.format(**{'a': 1}) }}", {}),
    ("err-call-named-after-kwargs", "{{ dict(**d, a=1) }}", {"d": {}}),
    ("err-call-positional-after-named", "{{ '{}'.format(a=1, 2) }}", {}),
    ("err-call-two-stars", "{{ '{}'.format(*a, *a) }}", {"a": [1]}),
    ("err-call-star-after-kwargs", "{{ '{}'.format(**d, *a) }}", {"a": [1], "d": {}}),
    ("err-call-filter-kwargs-unknown", "{{ 'a'|indent(**{'nope': 1}) }}", {}),
    ("err-call-range-kwargs", "{{ range(**{'stop': 3}) }}", {}),
    ("err-m-join-non-strings", "{{ '-'.join([1, 2]) }}", {}),
    ("err-m-join-none-item", "{{ ','.join(['a', none]) }}", {}),
    ("err-m-split-empty-separator", "{{ 'abc'.split('') }}", {}),
    ("err-m-startswith-int", "{{ 'abc'.startswith(1) }}", {}),
    ("err-m-format-spec-on-string", "{{ '{:d}'.format('a') }}", {}),
    ("err-m-format-spec-on-none", "{{ '{:5}'.format(none) }}", {}),
    ("err-m-format-spec-on-list", "{{ '{:>5}'.format([1]) }}", {}),
    ("err-m-format-mixing-auto-manual", "{{ '{}{0}'.format(1) }}", {}),
    ("err-m-format-index-out-of-range", "{{ '{2}'.format(1, 2) }}", {}),
    ("err-m-format-single-brace", "{{ '{'.format(1) }}", {}),
    ("err-m-format-unknown-conversion", "{{ '{!x}'.format(1) }}", {}),
    ("err-m-format-float-as-int", "{{ '{:d}'.format(1.5) }}", {}),
    ("err-m-format-int-precision", "{{ '{:.2d}'.format(1) }}", {}),
    ("err-m-format-string-sign", "{{ '{:+}'.format('a') }}", {}),
    ("err-m-removeprefix-int", "{{ 'a'.removeprefix(1) }}", {}),
    ("err-m-dict-get-no-args", "{{ d.get() }}", {"d": {}}),
    ("err-m-replace-int", "{{ 'a'.replace(1, 'b') }}", {}),
    ("err-m-strip-int", "{{ 'a'.strip(1) }}", {}),
    ("err-f-indent-non-string", "{{ 5|indent }}", {}),
    ("err-f-indent-list", "{{ [1]|indent }}", {}),
    ("err-f-sort-mixed-types", "{{ [1, 'a']|sort }}", {}),
    ("err-f-unique-dicts", "{{ [{'a': 1}, {'a': 1}]|unique|list }}", {}),
    ("err-f-select-unknown-test", "{{ nums|select('nope')|list }}", NUMS),
    ("err-f-select-test-missing-arg", "{{ nums|select('equalto')|list }}", NUMS),
    ("err-f-length-of-int", "{{ 5|length }}", {}),
    ("err-f-list-of-int", "{{ 5|list }}", {}),
    ("err-f-join-int", "{{ 5|join(',') }}", {}),
    ("err-f-tojson-undefined", "{{ nope|tojson }}", {}),
    ("err-f-default-then-attr", "{{ (nope|default({})).x }}", {}),
    ("err-f-map-unknown-filter", "{{ nums|map('nofilter')|list }}", NUMS),
    ("err-f-selectattr-missing-compared", "{{ users|selectattr('email', 'equalto', 'x')|list }}", USERS),
    ("err-f-sort-missing-attribute", "{{ users|sort(attribute='email')|list }}", USERS),
    ("err-f-sum-missing-attribute", "{{ users|sum(attribute='email') }}", USERS),
    ("err-f-join-missing-attribute", "{{ users|join(',', attribute='email') }}", USERS),
    ("err-f-max-missing-attribute", "{{ users|max(attribute='email') }}", USERS),
    ("err-f-unique-missing-attribute", "{{ users|unique(attribute='email')|list }}", USERS),
    ("err-m-format-nested-too-deep", "{{ '{:{:{}}}'.format(1, 2, 3) }}", {}),
    ("err-m-format-field-attribute-of-dict", "{{ '{0.a}'.format({'a': 1}) }}", {}),
    ("err-m-format-missing-bracket", "{{ '{0[a}'.format({'a': 1}) }}", {}),
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
