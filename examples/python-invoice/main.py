"""Invoice Processing, in Python: reads its SAP credentials from the local Heptora robot.

Run from the repository root, through the robot, which grants this run access to the names the
process "Invoice Processing" declares:

    PYTHONPATH=sdk-python npx heptora run "Invoice Processing" -- python3 examples/python-invoice/main.py
"""

import sys
from pathlib import Path

try:
    import heptora
except ImportError:  # run from a checkout without PYTHONPATH: use the SDK next door
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "sdk-python"))
    import heptora


def main() -> int:
    try:
        user = heptora.get_secret("SAP_USER")
        password = heptora.get_secret("SAP_PASSWORD")
    except heptora.SecretError as error:
        # The message is the robot's, written for whoever runs this: what went wrong, what to do.
        print("Invoice Processing: %s" % error, file=sys.stderr)
        return 1

    # A real automation would hand these to the SAP client here. We print the user name on
    # purpose to show what `heptora run` does with it: the robot masks every value the process
    # declares, so the line reads "Logged in to SAP as ***". (Do not print secrets in real code:
    # the masking is a safety net, not a licence.) The password is only measured, never printed.
    print("Logged in to SAP as %s" % user)
    print("Password received (%d characters)." % len(password))
    print("Processed 3 invoices.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
