#!/usr/bin/env python3
"""PostgreSQL restarts under load: motcua serve rides them out and loses nothing it acknowledged.

Starts `motcua serve` on a PostgreSQL database, submits dossiers continuously from several clients,
and meanwhile, one after the other:
  - stops PostgreSQL in fast mode (`pg_ctl stop -m fast`), keeps it down for --hold seconds, starts
    it; then restarts it at once (`pg_ctl restart -m fast`);
  - the same in immediate mode (a crash: no shutdown checkpoint, recovery at start);
  - terminates motcua's own backends (`SELECT pg_terminate_backend(pid)`) without a restart.
Then checks:
  - every submission answered 2xx is in the database (GET /api/v1/tracking/{code} answers 200);
  - `motcua audit verify` passes;
  - every failed request was a 503 problem+json with Retry-After and no driver text (never a 500,
    never another status, never a request that took longer than --timeout);
  - /readyz answered 503 while PostgreSQL was down for --hold seconds, and 200 again after each
    event (a plain pg_ctl restart may be too short for its once-a-second probe to see);
  - the server reconnected by itself: submissions succeed again after every event;
and prints the time to recovery of each event: from PostgreSQL accepting connections again (or the
backends' termination) to the first acknowledged submission, and to /readyz answering 200.

Usage (the cluster must be one this script may restart: run it under scripts/with-postgres, which
starts a throwaway one and exports MOTCUA_TEST_PG):
  scripts/with-postgres tests/recovery/pg_restart.py --motcua build/dev/app/motcua
      the short version CTest runs (test "pg_restart", about 35 s): 1 round, 4 clients, 1.5 s down
  scripts/with-postgres tests/recovery/pg_restart.py --motcua build/release/app/motcua \\
      --rounds 10 --clients 16 --hold 5
      the longer version for the bench (by hand): 10 rounds of the three events
Exit status 0 when every check passes, 1 otherwise (each failure printed), 2 on bad usage.
Needs python3 (standard library only), psql and pg_ctl (postgresql-15).
"""
import argparse
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid

PG_BIN = os.environ.get("MOTCUA_PG_BIN", "/usr/lib/postgresql/15/bin")
DRIVER_WORDS = ("server closed", "terminating connection", "soci", "libpq", "SQLSTATE", "pq_",
                "PQ", "Cannot establish", "could not")


def fail(message):
    print("pg_restart: " + message, file=sys.stderr)
    sys.exit(2)


class Cluster:
    """The PostgreSQL of MOTCUA_TEST_PG: its socket directory holds data/ (scripts/with-postgres)."""

    def __init__(self, url):
        parsed = urllib.parse.urlparse(url)
        query = urllib.parse.parse_qs(parsed.query)
        self.socket_dir = query["host"][0]
        self.port = query.get("port", ["5432"])[0]
        self.data = os.path.join(self.socket_dir, "data")
        if not os.path.isdir(self.data):
            fail(self.data + " is not a data directory: run under scripts/with-postgres")
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.base = url[: url.rindex("/", 0, url.index("?")) + 1]
        self.query = url[url.index("?"):]

    def url(self, database):
        return self.base + database + self.query

    def pg_ctl(self, *args):
        subprocess.run(self.as_owner + [os.path.join(PG_BIN, "pg_ctl"), "-D", self.data, "-w",
                                        "-t", "60", "-l", os.path.join(self.socket_dir,
                                                                       "server.log")] + list(args),
                       check=True, stdout=subprocess.DEVNULL)

    def start(self):
        """Starts the server as scripts/with-postgres did (pg_ctl start does not reuse options)."""
        self.pg_ctl("start", "-o", "-c listen_addresses='' -c unix_socket_directories='%s' -p %s "
                    "-c fsync=off" % (self.socket_dir, self.port))

    def psql(self, database, sql):
        out = subprocess.run(["psql", "-X", "-q", "-t", "-A", self.url(database), "-c", sql],
                             capture_output=True, text=True)
        if out.returncode != 0:
            raise RuntimeError("psql: " + out.stderr.strip())
        return out.stdout.strip()


class Server:
    def __init__(self, motcua, db_url, workdir):
        self.log = open(os.path.join(workdir, "serve.log"), "w")
        self.proc = subprocess.Popen(
            [motcua, "serve", "--db", db_url, "--listen", "127.0.0.1:0", "--demo-pki",
             os.path.join(workdir, "demo-pki"), "--access-log", "none", "--tracking-rate",
             "1000000000", "--scheduler-interval", "0"],
            stdout=subprocess.PIPE, stderr=self.log, text=True)
        self.port = None
        for line in self.proc.stdout:
            if "listening on http://" in line:
                self.port = int(line.rsplit(":", 1)[1])
                break
        if self.port is None:
            raise RuntimeError("motcua serve did not start (see " + self.log.name + ")")
        threading.Thread(target=self.proc.stdout.read, daemon=True).start()  # drain

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)


class Client:
    def __init__(self, port, timeout):
        self.port, self.timeout, self.conn = port, timeout, None

    def send(self, method, path, body=None, headers=None):
        """(status, headers dict lower-cased, body bytes, seconds); status 0 on a transport error."""
        start = time.monotonic()
        for attempt in (0, 1):  # a keep-alive connection the server closed is reopened once
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", self.port,
                                                           timeout=self.timeout)
                self.conn.request(method, path, body=body, headers=headers or {})
                r = self.conn.getresponse()
                data = r.read()
                return (r.status, {k.lower(): v for k, v in r.getheaders()}, data,
                        time.monotonic() - start)
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn = None
                if attempt:
                    return 0, {}, b"", time.monotonic() - start
            except OSError:  # a timeout: the request hung
                self.conn = None
                return -1, {}, b"", time.monotonic() - start
        return 0, {}, b"", time.monotonic() - start


class Load:
    """Clients submitting construction permits until stopped; records every outcome."""

    def __init__(self, port, clients, timeout):
        self.port, self.timeout = port, timeout
        self.lock = threading.Lock()
        self.acknowledged = []  # (code, secret)
        self.successes = []     # monotonic instants of acknowledged submissions
        self.problems = []      # descriptions of answers that break the rules
        self.unavailable = 0
        self.slowest = 0.0
        self.stopping = threading.Event()
        setup = Client(port, timeout)
        self.components = []
        for name, content in (("application", b"%PDF application form"),
                              ("design-drawings", b"%PDF drawings")):
            status, _, body, _ = setup.send("POST", "/api/v1/attachments", content,
                                            {"Content-Type": "application/pdf"})
            if status != 201:
                raise RuntimeError("upload: %d %s" % (status, body[:200]))
            self.components.append({"component": name, "sha256": json.loads(body)["sha256"]})
        self.threads = [threading.Thread(target=self.run, daemon=True) for _ in range(clients)]

    def submission(self):
        return json.dumps({
            "procedure": "1.013225", "channel": "online",
            "form": {"investor-name": "Nguyễn Văn An", "personal-id": "046090001234",
                     "site-address": "12 Lê Lợi, phường Thuận Hóa", "parcel": "Thửa 15, tờ 7",
                     "floor-area": "180", "storeys": "3", "work-type": "nhà ở riêng lẻ"},
            "components": self.components}).encode()

    def run(self):
        client = Client(self.port, self.timeout)
        key = str(uuid.uuid4())
        while not self.stopping.is_set():
            status, headers, body, took = client.send(
                "POST", "/api/v1/dossiers", self.submission(),
                {"Content-Type": "application/json", "Idempotency-Key": key})
            with self.lock:
                self.slowest = max(self.slowest, took)
                if status in (200, 201):
                    o = json.loads(body)
                    self.acknowledged.append((o["code"], o["tracking_secret"]))
                    self.successes.append(time.monotonic())
                    key = str(uuid.uuid4())
                    continue
                if status == 503:
                    self.unavailable += 1
                    text = body.decode("utf-8", "replace")
                    if "retry-after" not in headers:
                        self.problems.append("503 without Retry-After")
                    if not headers.get("content-type", "").startswith("application/problem+json"):
                        self.problems.append("503 that is not problem+json")
                    if any(w in text for w in DRIVER_WORDS):
                        self.problems.append("503 with driver text: " + text[:200])
                elif status == -1:
                    self.problems.append("no answer within %.0f s" % self.timeout)
                elif status == 0:
                    self.problems.append("connection closed without an answer")
                else:
                    self.problems.append("%d: %s" % (status, body[:200]))
            if status != 503 or self.stopping.is_set():
                continue
            time.sleep(min(float(headers.get("retry-after", "1")), 0.2))  # retry soon, same key

    def first_success_after(self, instant, limit):
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            with self.lock:
                later = [t for t in self.successes if t >= instant]
            if later:
                return min(later) - instant
            time.sleep(0.02)
        return None


class ReadyWatch:
    """Polls /readyz every 50 ms, recording (instant, status)."""

    def __init__(self, port, timeout):
        self.client = Client(port, timeout)
        self.samples = []
        self.problems = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        while not self.stopping.is_set():
            status, headers, _, _ = self.client.send("GET", "/readyz")
            now = time.monotonic()
            self.samples.append((now, status))
            if status == 503 and "retry-after" not in headers:
                self.problems.append("/readyz 503 without Retry-After")
            elif status not in (200, 503):
                self.problems.append("/readyz answered %d" % status)
            time.sleep(0.05)

    def saw(self, status, start, end):
        return any(start <= t <= end and s == status for t, s in self.samples)

    def ready_after(self, instant, limit):
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            later = [t for t, s in self.samples if t >= instant and s == 200]
            if later:
                return min(later) - instant
            time.sleep(0.02)
        return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--motcua", required=True, help="the motcua binary")
    ap.add_argument("--rounds", type=int, default=1, help="rounds of the three events (1)")
    ap.add_argument("--clients", type=int, default=4, help="concurrent submitters (4)")
    ap.add_argument("--hold", type=float, default=1.5, help="seconds PostgreSQL stays down (1.5)")
    ap.add_argument("--timeout", type=float, default=20.0,
                    help="seconds a request may take before it counts as hung (20)")
    ap.add_argument("--recovery-limit", type=float, default=15.0,
                    help="seconds within which service must be back after an event (15)")
    args = ap.parse_args()
    pg = os.environ.get("MOTCUA_TEST_PG")
    if not pg:
        fail("MOTCUA_TEST_PG is not set: run under scripts/with-postgres")
    cluster = Cluster(pg)
    database = "motcua_restart"
    cluster.psql("postgres", "DROP DATABASE IF EXISTS " + database)
    cluster.psql("postgres", "CREATE DATABASE " + database)
    db_url = cluster.url(database)
    failures = []
    with tempfile.TemporaryDirectory(prefix="motcua-restart-") as workdir:
        started = time.monotonic()
        server = Server(args.motcua, db_url, workdir)
        print("pg_restart: motcua serve started in %.1f s" % (time.monotonic() - started))
        load = Load(server.port, args.clients, args.timeout)
        ready = ReadyWatch(server.port, args.timeout)
        ready.thread.start()
        for t in load.threads:
            t.start()
        time.sleep(1.0)
        figures = []

        def settle(name, back):
            """Waits for service after `back`; records the recovery times."""
            first = load.first_success_after(back, args.recovery_limit)
            readyz = ready.ready_after(back, args.recovery_limit)
            if first is None:
                failures.append("%s: no submission acknowledged within %.0f s" %
                                (name, args.recovery_limit))
            if readyz is None:
                failures.append("%s: /readyz not 200 within %.0f s" % (name, args.recovery_limit))
            figures.append((name, first, readyz))
            time.sleep(0.5)

        for round_ in range(1, args.rounds + 1):
            for mode in ("fast", "immediate"):
                name = "round %d, %s restart" % (round_, mode)
                down = time.monotonic()
                cluster.pg_ctl("stop", "-m", mode)
                time.sleep(args.hold)
                if not ready.saw(503, down, time.monotonic()):
                    failures.append(name + ": /readyz never answered 503 while PostgreSQL was down")
                cluster.start()
                settle(name, time.monotonic())
                # pg_ctl restart: down for as long as the shutdown and start take.
                name = "round %d, pg_ctl restart -m %s" % (round_, mode)
                cluster.pg_ctl("restart", "-m", mode)
                settle(name, time.monotonic())
            name = "round %d, backends terminated" % round_
            killed = cluster.psql(database, "SELECT count(pg_terminate_backend(pid)) FROM "
                                  "pg_stat_activity WHERE datname = current_database() AND "
                                  "pid <> pg_backend_pid()")
            if int(killed or 0) == 0:
                failures.append(name + ": no backend of motcua to terminate")
            settle(name, time.monotonic())

        load.stopping.set()
        for t in load.threads:
            t.join(args.timeout + 5)
        ready.stopping.set()
        ready.thread.join(args.timeout + 5)

        checker = Client(server.port, args.timeout)
        missing = 0
        for code, secret in load.acknowledged:
            status, _, _, _ = checker.send("GET", "/api/v1/tracking/" + urllib.parse.quote(code),
                                           headers={"X-Tracking-Secret": secret})
            if status != 200:
                missing += 1
                if missing <= 5:
                    failures.append("acknowledged dossier %s: GET answered %d" % (code, status))
        if missing:
            failures.append("%d of %d acknowledged dossiers are missing" %
                            (missing, len(load.acknowledged)))
        server.stop()
        audit = subprocess.run([args.motcua, "audit", "verify", "--db", db_url],
                               capture_output=True, text=True)
        if audit.returncode != 0:
            failures.append("motcua audit verify failed: " + (audit.stdout + audit.stderr)[-500:])
        for p in sorted(set(load.problems + ready.problems)):
            failures.append("load: " + p)

        print("pg_restart: %d clients, %d dossiers acknowledged (all present: %s), %d answers "
              "503 + Retry-After, slowest answer %.2f s" %
              (args.clients, len(load.acknowledged), "yes" if not missing else "NO",
               load.unavailable, load.slowest))
        for name, first, readyz in figures:
            fmt = lambda v: "never" if v is None else "%.3f s" % v
            print("pg_restart: %-38s first acknowledged submission after %s, /readyz 200 after %s"
                  % (name + ":", fmt(first), fmt(readyz)))
        if failures:
            for f in failures:
                print("pg_restart: FAIL: " + f, file=sys.stderr)
            print("pg_restart: server log: " + open(os.path.join(workdir, "serve.log")).read()[-2000:],
                  file=sys.stderr)
            return 1
        print("pg_restart: all checks passed")
        return 0


if __name__ == "__main__":
    sys.exit(main())
