#!/usr/bin/python3
"""Runs `routewise analyze --format json` on each session and validates the output against
docs/findings-schema.json with python3-jsonschema. Exits non-zero on the first violation."""
import json
import subprocess
import sys

import jsonschema


def main() -> int:
    cli, schema_path, *sessions = sys.argv[1:]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    checked_findings = 0
    for session in sessions:
        run = subprocess.run([cli, "analyze", "--format", "json", "--fail-on", "never", session],
                             capture_output=True, text=True, check=False)
        if run.returncode != 0:
            print(f"{session}: routewise exited {run.returncode}: {run.stderr}", file=sys.stderr)
            return 1
        report = json.loads(run.stdout)
        errors = sorted(validator.iter_errors(report), key=lambda e: list(e.path))
        for e in errors:
            print(f"{session}: {'/'.join(map(str, e.path))}: {e.message}", file=sys.stderr)
        if errors:
            return 1
        checked_findings += len(report["findings"])
    if checked_findings == 0:
        print("no findings were checked; give a session that has some", file=sys.stderr)
        return 1
    print(f"{len(sessions)} reports, {checked_findings} findings valid against the schema")
    return 0


if __name__ == "__main__":
    sys.exit(main())
