"""Executes every notebook in notebooks/ with nbclient (CI does this so that they never rot). Exit 1 on any error."""
import os
import sys
import nbformat
from nbclient import NotebookClient

here = os.path.dirname(os.path.abspath(__file__))
failed = 0
for name in sorted(os.listdir(here)):
    if not name.endswith(".ipynb"):
        continue
    nb = nbformat.read(os.path.join(here, name), as_version=4)
    try:
        NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": here}}).execute()
        print(f"notebook OK: {name}")
    except Exception as e:  # report every notebook, then fail
        failed += 1
        print(f"notebook FAILED: {name}: {e}", file=sys.stderr)
sys.exit(1 if failed else 0)
