#!/usr/bin/env python3
"""Renders Tutor's JWK snippet with Tutor itself and writes rsa-cases.json.

tk8s's `rsa_import_key` and `long_to_base64` filters (Sources/Runtime/TutorFilters.swift)
must give exactly what Tutor's give (pycryptodome's RsaKey and tutor.utils.long_to_base64).
TutorFiltersTests.swift renders TEMPLATE with tk8s's engine for each key here and compares,
so the Swift tests never need Python. Regenerate with the Python that has Tutor 22:

    .venv-ci/bin/python Tests/RuntimeTests/Fixtures/jinja/make-rsa-cases.py

The keys: three 2048-bit keys in PKCS#1 PEM (`BEGIN RSA PRIVATE KEY`), made by the
function behind Tutor's `rsa_private_key` filter, and the first of them again as PKCS#8
(`BEGIN PRIVATE KEY`). New keys are drawn on every run. Each key's `output` is what
tutor.env.Renderer({"KEY": pem}).render_str(TEMPLATE) gives; `ints` are long_to_base64 of
a few integers, rendered the same way (`{{ N|long_to_base64 }}`).
"""
import json
import os

from Crypto.PublicKey import RSA
from tutor import utils
from tutor.__about__ import __version__
from tutor.env import Renderer

# The JWK snippet of Tutor's apps/openedx/settings/partials/common_all.py, on one line.
TEMPLATE = (
    "{% set k | rsa_import_key %}{{ KEY }}{% endset %}"
    "{{ k.n|long_to_base64 }} {{ k.e|long_to_base64 }} {{ k.d|long_to_base64 }} {{ k.p|long_to_base64 }} "
    "{{ k.q|long_to_base64 }} {{ k.dp|long_to_base64 }} {{ k.dq|long_to_base64 }} {{ k.invq|long_to_base64 }}"
)
INTS = [0, 1, 255, 256, 65535, 65536, 65537, 2**32, 2**63 - 1]


def main():
    keys = []
    pkcs1 = [utils.rsa_private_key(2048) for _ in range(3)]
    for i, pem in enumerate(pkcs1):
        keys.append((f"pkcs1-{i + 1}", pem))
    keys.append(("pkcs8-1", RSA.import_key(pkcs1[0]).export_key(pkcs=8).decode()))

    cases = []
    for name, pem in keys:
        assert pem.startswith("-----BEGIN RSA PRIVATE KEY-----" if name.startswith("pkcs1") else "-----BEGIN PRIVATE KEY-----")
        output = Renderer({"KEY": pem}).render_str(TEMPLATE)
        key = RSA.import_key(pem)
        expected = " ".join(utils.long_to_base64(int(getattr(key, f))) for f in ["n", "e", "d", "p", "q", "dp", "dq", "invq"])
        assert output == expected, (name, output, expected)
        cases.append({"name": name, "pem": pem, "output": output})

    ints = []
    for n in INTS:
        output = Renderer({}).render_str("{{ %d|long_to_base64 }}" % n)
        assert output == utils.long_to_base64(n)
        ints.append({"value": n, "output": output})

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rsa-cases.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"tutor": __version__, "template": TEMPLATE, "keys": cases, "ints": ints}, f, indent=1)
        f.write("\n")
    print(f"wrote {len(cases)} keys and {len(ints)} integers to {path} (tutor {__version__})")


if __name__ == "__main__":
    main()
