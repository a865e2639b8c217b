#!/usr/bin/env python3
"""Opens N keep-alive connections to HOST:PORT, sends one tracking request on each, keeps them all
open, and prints the server's peak resident memory (VmHWM of PID) while they are open."""
import socket, sys, time
host, port, pid, n, path = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5]
def rss(field):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(field):
            return int(line.split()[1])
before = rss("VmRSS:")
conns = []
for i in range(n):
    s = socket.create_connection((host, port))
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    conns.append(s)
ok = 0
for s in conns:
    data = s.recv(4096)
    ok += data.startswith(b"HTTP/1.1 ")
time.sleep(0.5)
print(f"open connections: {n} ({ok} answered); server RSS before {before} KiB, "
      f"now {rss('VmRSS:')} KiB, peak {rss('VmHWM:')} KiB")
for s in conns:
    s.close()
