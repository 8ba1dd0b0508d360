"""The getSecret benchmark's Python client: times the Python SDK's ``get_secret`` over a socket.

Usage: python3 get-secret-loop.py SOCKET TOKEN NAME COUNT WARMUP
Prints one JSON line: {"median_ms", "p99_ms", "per_second"} (standard library only, like the SDK).
"""
import json
import sys
import time

import heptora

socket_path, token, name = sys.argv[1], sys.argv[2], sys.argv[3]
count, warmup = int(sys.argv[4]), int(sys.argv[5])
client = heptora.Client(socket_path, token)
for _ in range(warmup):
    client.get_secret(name)
times = []
start = time.perf_counter()
for _ in range(count):
    t = time.perf_counter()
    client.get_secret(name)
    times.append((time.perf_counter() - t) * 1000)
elapsed = time.perf_counter() - start
client.close()
times.sort()


def percentile(p):
    return times[min(len(times) - 1, (len(times) * p) // 100)]


print(json.dumps({"median_ms": percentile(50), "p99_ms": percentile(99), "per_second": count / elapsed}))
