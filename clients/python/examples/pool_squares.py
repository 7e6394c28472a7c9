"""Pool.apply_async with callbacks, from Python, run by Java children: python3 pool_squares.py

Needs FORKLIFT_URL (http://127.0.0.1:8470 by default) and FORKLIFT_AUTHKEY, as forklift local prints them.
"""
import os
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from forklift import Pool, RemoteError  # noqa: E402

URL = os.environ.get("FORKLIFT_URL", "http://127.0.0.1:8470")
SQUARE = "io.forklift.examples.tutorial.Square"

got, failed, main = [], [], threading.get_ident()
with Pool(URL, authkey=os.environ["FORKLIFT_AUTHKEY"], queue="tutorial") as pool:
    results = [pool.apply_async(SQUARE, i, callback=got.append) for i in range(10)]
    values = [r.get(timeout=60) for r in results]
    print("apply_async:", values)
    print("callbacks:  ", sorted(got))
    print("map:        ", pool.map(SQUARE, range(5)))
    bad = pool.apply_async("no.such.Task", 1, error_callback=failed.append)
    try:
        bad.get(timeout=60)
    except RemoteError as e:
        print("error:      ", e.type)
assert values == [i * i for i in range(10)] and sorted(got) == values, (values, got)
assert failed and failed[0].type == "io.forklift.UnknownTaskException", failed
print("ok")
