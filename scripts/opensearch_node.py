"""A real OpenSearch node (or a small cluster) on loopback, for tests and measurements.

The node is tests/opensearch/: OpenSearch's server jar and three of its modules on one
classpath, started by a small launcher (TestNode.java) instead of a distribution or
Docker. Maven builds it once; the classpath is cached in tests/opensearch/target/.

    scripts/opensearch-node build                  # resolve and compile (once)
    scripts/opensearch-node serve [--nodes 3]      # start, print the URL, stop on Ctrl-C
    scripts/opensearch-node run [--nodes 3] -- CMD # start, run CMD with
                                                   # NEWSGREP_TEST_OPENSEARCH=URL, stop

Every node binds 127.0.0.1 only, on free ports, with path.home/path.data in a temporary
folder that is removed on stop. A node exits when its standard input closes, so nodes
never outlive the Python process that started them, even if it is killed with -9.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULE = ROOT / "tests" / "opensearch"
TARGET = MODULE / "target"
CLASSPATH = TARGET / "classpath.txt"
MAIN = "newsgrep.testnode.TestNode"
HEAP = os.environ.get("NEWSGREP_TEST_OPENSEARCH_HEAP", "384m")
START_TIMEOUT = 180.0  # seconds; a cold JVM on a busy 2-core machine can take a while


class NodeError(RuntimeError):
    """The node could not be built or started (the message is one line)."""


def java() -> str | None:
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return str(Path(home) / "bin" / "java")
    return shutil.which("java")


def missing_tools() -> str | None:
    """Why no node can run here (None: it can)."""
    if not java():
        return "no java on PATH (the real OpenSearch node needs Java 17)"
    if not CLASSPATH.exists() and not shutil.which("mvn"):
        return "no mvn on PATH (Maven builds the OpenSearch test node once)"
    return None


def _sources() -> list[Path]:
    return [MODULE / "pom.xml", *sorted((MODULE / "src").rglob("*.java"))]


def build(quiet: bool = True) -> str:
    """Build the node if its sources changed since the last build; return the classpath."""
    classes = TARGET / "classes"
    fresh = CLASSPATH.exists() and all(
        p.stat().st_mtime <= CLASSPATH.stat().st_mtime for p in _sources())
    if not fresh:
        mvn = shutil.which("mvn")
        if not mvn:
            raise NodeError("no mvn on PATH (Maven builds the OpenSearch test node)")
        cmd = [mvn, "-B", "-f", str(MODULE / "pom.xml"), "compile"]
        if quiet:
            cmd.insert(2, "-q")
        proc = subprocess.run(cmd, capture_output=quiet, text=True)
        if proc.returncode != 0:
            tail = (proc.stdout or "").strip().splitlines()[-1:] if quiet else []
            raise NodeError(f"building the OpenSearch test node failed (mvn exit "
                            f"{proc.returncode}){': ' + tail[0] if tail else ''}")
        CLASSPATH.touch()
    return f"{classes}{os.pathsep}{CLASSPATH.read_text().strip()}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_json(url: str, method: str = "GET", timeout: float = 10.0) -> dict:
    req = urllib.request.Request(url, method=method)
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return json.loads(resp.read() or b"{}")


class Node:
    def __init__(self, cluster: Cluster, i: int):
        self.cluster = cluster
        self.name = f"n{i + 1}"
        self.http_port = free_port()
        self.transport_port = free_port()
        self.home = cluster.base / self.name
        self.proc: subprocess.Popen | None = None
        self.started_in: float | None = None  # seconds from exec to healthy
        self.expect_alive = False  # False after kill()/stop(): its exit is no error

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def log(self) -> Path:
        return self.home / "stdout.log"

    def settings(self) -> list[str]:
        c = self.cluster
        s = {
            "cluster.name": c.name, "node.name": self.name,
            "path.home": str(self.home), "path.data": str(self.home / "data"),
            "path.logs": str(self.home / "logs"),
            # Loopback only, ever: bind and publish 127.0.0.1.
            "network.host": "127.0.0.1", "http.port": str(self.http_port),
            "transport.port": str(self.transport_port),
            # A test machine's disk may be nearly full: never block writes for it.
            "cluster.routing.allocation.disk.threshold_enabled": "false",
            "action.auto_create_index": "false",
        }
        if len(c.nodes) == 1:
            s["discovery.type"] = "single-node"
        else:
            s["discovery.seed_hosts"] = ",".join(
                f"127.0.0.1:{n.transport_port}" for n in c.nodes)
            s["cluster.initial_cluster_manager_nodes"] = ",".join(n.name for n in c.nodes)
        return [f"{k}={v}" for k, v in s.items()]

    def start(self) -> None:
        if self.proc and self.proc.poll() is None:
            return
        self.home.mkdir(parents=True, exist_ok=True)
        self.expect_alive = True
        cmd = [java() or "java", f"-Xms{self.cluster.heap}", f"-Xmx{self.cluster.heap}",
               "-XX:+UseSerialGC",  # two cores shared with others: no parallel GC threads
               "-Djava.awt.headless=true", "-Dfile.encoding=UTF-8",
               "-Dlog4j2.disable.jmx=true", "-Djava.io.tmpdir=" + str(self.home),
               "-cp", self.cluster.classpath, MAIN, *self.settings()]
        with open(self.log, "ab") as log:
            # stdin stays a pipe we hold: the node exits when it closes (see TestNode).
            self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=log,
                                         stderr=subprocess.STDOUT, cwd=self.home,
                                         start_new_session=True)
        self._t0 = time.monotonic()

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """kill -9, as a crashed machine would leave it."""
        self.expect_alive = False
        if self.alive():
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()
        self._close_stdin()

    def stop(self, timeout: float = 20.0) -> None:
        self.expect_alive = False
        if not self.proc:
            return
        self._close_stdin()  # the node closes itself and exits
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def _close_stdin(self) -> None:
        if self.proc and self.proc.stdin and not self.proc.stdin.closed:
            try:
                self.proc.stdin.close()
            except OSError:
                pass

    def rss_mb(self) -> float | None:
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except (OSError, AttributeError):
            return None
        return None

    def log_tail(self, n: int = 3) -> str:
        try:
            lines = [x for x in self.log.read_text(errors="replace").splitlines()
                     if x.strip() and not x.startswith(("\tat ", "  at "))]
        except OSError:
            return ""
        return " | ".join(x.strip()[:300] for x in lines[-n:])


class Cluster:
    """`n` nodes on 127.0.0.1 (one: discovery.type=single-node). Use as a context
    manager, or call start() and stop()."""

    def __init__(self, n: int = 1, heap: str = HEAP, base: Path | None = None):
        self.classpath = build()
        self.heap = heap
        self.name = f"newsgrep-test-{uuid.uuid4().hex[:8]}"  # never joins another cluster
        self._own_base = base is None
        self.base = Path(base or tempfile.mkdtemp(prefix="newsgrep-os-"))
        self.nodes: list[Node] = []
        self.nodes = [Node(self, i) for i in range(n)]

    @property
    def url(self) -> str:
        return self.nodes[0].url

    def live_url(self) -> str:
        """The URL of a node that is running."""
        return next(n.url for n in self.nodes if n.alive())

    def start(self, status: str = "green") -> Cluster:
        try:
            for node in self.nodes:
                node.start()
            self.wait(status, len(self.nodes))
        except BaseException:
            self.stop()
            raise
        for node in self.nodes:
            node.started_in = time.monotonic() - node._t0
        return self

    def health(self, url: str | None = None) -> dict:
        return http_json(f"{url or self.live_url()}/_cluster/health")

    def wait(self, status: str = "green", nodes: int | None = None,
             timeout: float = START_TIMEOUT) -> dict:
        """Wait until the cluster is `status` with `nodes` nodes (raises NodeError)."""
        want = {"green": 0, "yellow": 1, "red": 2}[status]
        deadline = time.monotonic() + timeout
        last = "no answer"
        while time.monotonic() < deadline:
            for node in self.nodes:
                if node.expect_alive and node.proc and node.proc.poll() is not None:
                    raise NodeError(f"OpenSearch node {node.name} exited with "
                                    f"{node.proc.returncode}: {node.log_tail()}")
            live = [n for n in self.nodes if n.alive()]
            if live:
                try:
                    h = http_json(f"{live[0].url}/_cluster/health?timeout=2s"
                                  f"&wait_for_status={status}"
                                  + (f"&wait_for_nodes={nodes}" if nodes else ""), timeout=10)
                    last = f"{h.get('status')} with {h.get('number_of_nodes')} nodes"
                    rank = {"green": 0, "yellow": 1, "red": 2}.get(h.get("status"), 3)
                    if rank <= want and (not nodes or h.get("number_of_nodes") == nodes):
                        return h
                except (OSError, urllib.error.URLError, ValueError) as e:
                    last = str(getattr(e, "reason", e))
            time.sleep(0.5)
        raise NodeError(f"OpenSearch did not become {status} in {timeout:.0f}s ({last}); "
                        f"log: {self.nodes[0].log_tail()}")

    def stop(self) -> None:
        for node in self.nodes:
            node.expect_alive = False
            node._close_stdin()  # all nodes shut down in parallel
        for node in self.nodes:
            node.stop()
        if self._own_base:
            shutil.rmtree(self.base, ignore_errors=True)

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="scripts/opensearch-node", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("build", help="resolve and compile the node once")
    for name in ("serve", "run"):
        p = sub.add_parser(name)
        p.add_argument("--nodes", type=int, default=1, choices=(1, 2, 3, 4, 5))
        p.add_argument("--heap", default=HEAP, help="per node, e.g. 384m (256m-512m)")
        if name == "run":
            p.add_argument("command", nargs=argparse.REMAINDER)
    args = ap.parse_args(argv)
    try:
        if args.cmd == "build":
            print(build(quiet=False).count(os.pathsep) + 1, "jars on the node's classpath")
            return 0
        cluster = Cluster(args.nodes, heap=args.heap)
        t0 = time.monotonic()
        cluster.start()
        took = time.monotonic() - t0
    except NodeError as e:
        print(f"opensearch-node: error: {e}", file=sys.stderr)
        return 2
    # SIGTERM (CI timeouts, `kill`) stops the nodes like Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        rss = ", ".join(f"{(n.rss_mb() or 0):.0f}" for n in cluster.nodes)
        print(f"opensearch-node: {len(cluster.nodes)} node(s) green in {took:.1f}s at "
              f"{cluster.url} (heap {args.heap}, RSS MB {rss})", file=sys.stderr, flush=True)
        if args.cmd == "serve":
            print(cluster.url, flush=True)
            while all(n.alive() for n in cluster.nodes):
                time.sleep(1)
            return 1
        cmd = args.command[1:] if args.command[:1] == ["--"] else args.command
        cmd = cmd or [os.environ.get("SHELL", "sh")]
        env = dict(os.environ, NEWSGREP_TEST_OPENSEARCH=cluster.url)
        return subprocess.call(cmd, env=env)
    except KeyboardInterrupt:
        return 130
    finally:
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
