"""Validates JSON instances against the repository's schemas (draft 2020-12) for the Swift test suite.

Usage: python3 check_schemas.py CASES.json
CASES.json is a list of {"label", "schema", "instance", "valid"}; exits 1 if any case disagrees.
"""
import json
import sys

from jsonschema import Draft202012Validator

cases = json.load(open(sys.argv[1]))
bad = 0
cache = {}
for case in cases:
    path = case["schema"]
    if path not in cache:
        schema = json.load(open(path))
        Draft202012Validator.check_schema(schema)
        cache[path] = Draft202012Validator(schema)
    with open(case["instance"], "rb") as f:
        instance = json.loads(f.read())
    errors = list(cache[path].iter_errors(instance))
    if bool(errors) == case["valid"]:
        bad += 1
        detail = "; ".join(f"{list(e.absolute_path)}: {e.message[:160]}" for e in errors[:3]) or "accepted"
        print(f"MISMATCH {case['label']}: expected {'valid' if case['valid'] else 'invalid'}: {detail}")
print(f"checked {len(cases)} cases, {bad} mismatched")
sys.exit(1 if bad else 0)
