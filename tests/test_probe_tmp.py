import time, json
from conftest import copy_course, run_notebook, notebook_path, released_modules
def test_probe(tmp_path_factory):
    base = copy_course(tmp_path_factory.mktemp("model"), release=False)
    m = released_modules()[0]
    t = time.time()
    nb = run_notebook(notebook_path(base, "source", m))
    total = time.time() - t
    rows = []
    for i, c in enumerate(nb.cells):
        ex = c.metadata.get("execution")
        if ex:
            rows.append((i, ex))
    print("TOTAL", total)
    if total > 30:
        for r in rows: print(r)
