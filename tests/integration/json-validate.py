#!/usr/bin/env python3
# Validate JSON documents against a slabscope schema (schema/*.schema.json)
# with python3-jsonschema's Draft 2020-12 validator.
#   json-validate.py SCHEMA FILE...          one document per file
#   json-validate.py --lines SCHEMA FILE...  one document per line (batch)
#   json-validate.py --check-schema FILE...  each file is a valid schema
# Prints one line per invalid document (file, line, where, what) and exits
# 1 if there was one, 2 on a usage error.
import json
import sys

import jsonschema

Validator = jsonschema.Draft202012Validator


def where(err):
    return "/" + "/".join(str(p) for p in err.absolute_path)


def main(argv):
    lines = False
    if argv and argv[0] == "--check-schema":
        bad = 0
        for path in argv[1:]:
            try:
                with open(path) as f:
                    Validator.check_schema(json.load(f))
            except (ValueError, jsonschema.SchemaError) as e:
                print(f"{path}: not a valid schema: {e}")
                bad += 1
        return 1 if bad else 0
    if argv and argv[0] == "--lines":
        lines = True
        argv = argv[1:]
    if len(argv) < 2:
        print(__doc__ or "usage: json-validate.py [--lines] SCHEMA FILE...",
              file=sys.stderr)
        return 2
    with open(argv[0]) as f:
        validator = Validator(json.load(f))
    bad = 0
    for path in argv[1:]:
        with open(path) as f:
            text = f.read()
        docs = ([(i + 1, l) for i, l in enumerate(text.splitlines())]
                if lines else [(1, text)])
        if not docs:
            print(f"{path}: no document")
            bad += 1
        for lineno, doc in docs:
            try:
                value = json.loads(doc)
            except ValueError as e:
                print(f"{path}:{lineno}: not JSON: {e}")
                bad += 1
                continue
            # the most relevant error first, as jsonschema ranks them
            errs = sorted(validator.iter_errors(value),
                          key=jsonschema.exceptions.relevance)
            for e in errs[:3]:
                print(f"{path}:{lineno}: {where(e)}: {e.message[:300]}")
            bad += bool(errs)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
