"""Print the reference's versions and quantizer path as JSON on stdout (reference chatter -> stderr)."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import refcommon  # noqa: E402

out = refcommon.protect_stdout()
out.write((json.dumps(refcommon.info(), indent=2) + "\n").encode())
