#!/usr/bin/env python3
"""submit_many.py HOST:PORT N OUT_FILE [THREADS]: submits N complete construction-permit dossiers
(procedure 1.013225, the body of submit.lua, the attachment hashes from BENCH_SHA_APP and
BENCH_SHA_DRAWINGS) over keep-alive connections and writes one line "CODE VERSION" per dossier
to OUT_FILE. Exits 1 at the first answer other than 201."""
import http.client, json, os, sys, threading
addr, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
threads = int(sys.argv[4]) if len(sys.argv) > 4 else 4
host, port = addr.rsplit(":", 1)
body = json.dumps({
    "procedure": "1.013225", "channel": "online",
    "form": {"investor-name": "Nguyen Van An", "personal-id": "046090001234",
             "site-address": "12 Le Loi", "parcel": "Thua 15, to 7", "floor-area": "180",
             "storeys": "3", "work-type": "nhà ở riêng lẻ"},
    "components": [{"component": "application", "sha256": os.environ["BENCH_SHA_APP"]},
                   {"component": "design-drawings", "sha256": os.environ["BENCH_SHA_DRAWINGS"]}]})
lines, failed = [], []
def work(count):
    c = http.client.HTTPConnection(host, int(port))
    for _ in range(count):
        if failed:
            return
        c.request("POST", "/api/v1/dossiers", body, {"Content-Type": "application/json"})
        r = c.getresponse()
        data = r.read()
        if r.status != 201:
            failed.append(f"{r.status} {data[:300]!r}")
            return
        d = json.loads(data)
        lines.append(f"{d['code']} {d['version']}\n")
pool = [threading.Thread(target=work, args=(n // threads + (i < n % threads),))
        for i in range(threads)]
for t in pool: t.start()
for t in pool: t.join()
if failed:
    sys.exit(f"submit_many: submission {len(lines) + 1} answered {failed[0]}")
with open(out, "w") as f:
    f.writelines(lines)
