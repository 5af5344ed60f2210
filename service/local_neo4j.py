"""A local Neo4j Community server, run from the jars Maven fetches, without Docker."""

import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from neo4j import GraphDatabase
from neo4j.exceptions import AuthError, DriverError, Neo4jError

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_HOME = PROJECT_ROOT / ".neo4j" / "server"
DEFAULT_LIB = PROJECT_ROOT / ".neo4j" / "lib"
POM = PROJECT_ROOT / "docker" / "neo4j" / "pom.xml"

USER = "neo4j"
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
LOG_TAIL_LINES = 20
_DIRECTORIES = ("data", "logs", "run", "plugins", "import")
# Part of what Neo4j's own launcher adds: the page cache wants java.nio internals for direct
# buffers, and Netty the others; without them Neo4j falls back to slower paths.
_JVM_OPTIONS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-Dfile.encoding=UTF-8",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class LocalNeo4jError(Exception):
    """The local Neo4j cannot be installed, started or reached; the message says why."""


@dataclass(frozen=True)
class LocalNeo4jStatus:
    """Whether the local server runs, and where to reach it."""

    running: bool
    pid: int | None
    bolt_uri: str
    browser_url: str
    home: Path


class LocalNeo4j:
    """One Neo4j server process whose configuration, data and logs live under `home`."""

    def __init__(
        self,
        home: Path,
        *,
        bolt_port: int = 7687,
        http_port: int = 7474,
        password: str | None = None,
        lib: Path | None = None,
        heap: str = "1g",
        pagecache: str = "512m",
    ) -> None:
        self.home = home.resolve()
        self.bolt_port = bolt_port
        self.http_port = http_port
        self.lib = (lib or DEFAULT_LIB).resolve()
        self.heap = heap
        self.pagecache = pagecache
        self._password = password
        self._log_offset = 0  # where neo4j.log stood when we last launched the server

    @property
    def bolt_uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def browser_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/browser/"

    @property
    def _pid_file(self) -> Path:
        return self.home / "run" / "actorgraph.pid"

    @property
    def _conf_dir(self) -> Path:
        return self.home / "conf"

    def password(self) -> str:
        """The given password, else one generated on first use and kept in home/password."""
        if self._password is not None:
            return self._password
        path = self.home / "password"
        if not path.exists():
            self.home.mkdir(parents=True, exist_ok=True)
            # O_EXCL: two processes racing here must not end up with different passwords.
            with contextlib.suppress(FileExistsError):
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "w") as file:
                    file.write(secrets.token_urlsafe(24) + "\n")
        return path.read_text().strip()

    # -- installing -------------------------------------------------------------------------

    def ensure_installed(self) -> None:
        """Fetch the server jars with Maven unless they are there and newer than the pom."""
        stamp = self.lib / ".installed"
        if stamp.exists() and stamp.stat().st_mtime >= POM.stat().st_mtime:
            return
        mvn = shutil.which("mvn")
        if mvn is None:
            raise LocalNeo4jError(
                "Maven (`mvn`) is not on PATH; it is needed once, to fetch the Neo4j server "
                f"jars from Maven Central into {self.lib}. Install Maven (e.g. `apt-get install "
                "maven` or `brew install maven`) and try again."
            )
        _java()
        # A fresh folder, swapped in whole: a version bump in the pom must not leave the old
        # jars beside the new ones on the classpath.
        staging = self.lib.with_name(self.lib.name + ".download")
        shutil.rmtree(staging, ignore_errors=True)
        command = [mvn, "-B", "-q", "-f", str(POM), "dependency:copy-dependencies"]
        result = _run([*command, f"-Dneo4j.lib={staging}"])
        if result.returncode != 0:
            raise LocalNeo4jError(
                "Maven could not fetch the Neo4j jars (is Maven Central reachable?). "
                f"`{' '.join(command)}` said:\n{_tail(result.stdout)}"
            )
        shutil.rmtree(self.lib, ignore_errors=True)
        staging.rename(self.lib)
        stamp.touch()

    # -- running ----------------------------------------------------------------------------

    def status(self) -> LocalNeo4jStatus:
        """Whether the pid file names a live server of this home."""
        pid = self._running_pid()
        return LocalNeo4jStatus(
            running=pid is not None,
            pid=pid,
            bolt_uri=self.bolt_uri,
            browser_url=self.browser_url,
            home=self.home,
        )

    def start(self, timeout: float = 120.0) -> LocalNeo4jStatus:
        """Start the server in the background, unless it runs, and wait until Bolt accepts us."""
        deadline = time.monotonic() + timeout
        running = self._running_pid()
        if running is not None:
            self._wait_until_ready(running, deadline)
            return self.status()
        java = _java()
        self._check_installed()
        for port in (self.bolt_port, self.http_port):
            _check_port_free(port)
        self._prepare_home()
        if not (self.home / "data" / "databases" / "system").exists():
            self._set_initial_password(java)
        pid = self._launch(java)
        try:
            self._wait_until_ready(pid, deadline)
        except LocalNeo4jError:
            self.stop(timeout=30)
            raise
        return self.status()

    def stop(self, timeout: float = 60.0) -> bool:
        """Stop the server (SIGTERM, then SIGKILL after `timeout`); True if it was running."""
        pid = self._running_pid()
        if pid is not None:
            os.kill(pid, signal.SIGTERM)
            if not self._wait_for_exit(pid, timeout):
                os.kill(pid, signal.SIGKILL)
                self._wait_for_exit(pid, 10)
        self._pid_file.unlink(missing_ok=True)
        return pid is not None

    # -- helpers ----------------------------------------------------------------------------

    def _check_installed(self) -> None:
        if not any(self.lib.glob("neo4j-*.jar")):
            raise LocalNeo4jError(
                f"The Neo4j server jars are not in {self.lib}; "
                "fetch them with `actorgraph neo4j install` (or `make setup`)."
            )

    def _prepare_home(self) -> None:
        """Create the server folders and (re)write neo4j.conf, since the ports may change."""
        for name in ("conf", *_DIRECTORIES):
            (self.home / name).mkdir(parents=True, exist_ok=True)
        settings = {
            "server.default_listen_address": "127.0.0.1",
            "server.bolt.listen_address": f"127.0.0.1:{self.bolt_port}",
            "server.http.listen_address": f"127.0.0.1:{self.http_port}",
            "server.https.enabled": "false",
            **{f"server.directories.{name}": str(self.home / name) for name in _DIRECTORIES},
            "dbms.security.auth_enabled": "true",
            "dbms.usage_report.enabled": "false",
            "server.memory.heap.initial_size": self.heap,
            "server.memory.heap.max_size": self.heap,
            "server.memory.pagecache.size": self.pagecache,
            # Netty's default 5 s quiet period, paid twice, made every stop take 10 s.
            "internal.dbms.bolt.netty_server_shutdown_quiet_period": "0",
        }
        lines = [f"{key}={value}" for key, value in settings.items()]
        (self._conf_dir / "neo4j.conf").write_text("\n".join(lines) + "\n")

    def _set_initial_password(self, java: str) -> None:
        """Give user neo4j our password; the server takes it over on its very first start.

        The password goes through a Java argument file readable by us alone, never on a command
        line, where every user of the machine could read it in `ps`."""
        # "--": a generated password may start with "-", which would read as an option.
        arguments = ["-cp", self._classpath, ADMIN_TOOL, "dbms", "set-initial-password", "--"]
        argument_file = self.home / "run" / "initial-password.args"
        argument_file.parent.mkdir(parents=True, exist_ok=True)
        argument_file.unlink(missing_ok=True)
        descriptor = os.open(argument_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write("\n".join(_java_quoted(a) for a in [*arguments, self.password()]) + "\n")
        try:
            result = _run([java, f"@{argument_file}"], env=self._environment())
        finally:
            argument_file.unlink(missing_ok=True)
        if result.returncode != 0:
            raise LocalNeo4jError(
                f"Could not set the initial Neo4j password in {self.home}:\n{_tail(result.stdout)}"
            )

    def _launch(self, java: str) -> int:
        """Start the server in a session of its own (it outlives us) and record its pid."""
        command = [
            java,
            f"-Xms{self.heap}",
            f"-Xmx{self.heap}",
            *_JVM_OPTIONS,
            "-cp",
            self._classpath,
            ENTRY_POINT,
            f"--home-dir={self.home}",
            f"--config-dir={self._conf_dir}",
        ]
        log = self.home / "logs" / "neo4j.log"
        self._log_offset = log.stat().st_size if log.exists() else 0
        with open(self.home / "logs" / "console.log", "wb") as console:
            # posix_spawn rather than Popen: a Popen dropped while its child runs warns, and
            # this child is meant to outlive every Python object here.
            pid = os.posix_spawn(
                java,
                command,
                self._environment(),
                file_actions=[
                    (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                    (os.POSIX_SPAWN_DUP2, console.fileno(), 1),
                    (os.POSIX_SPAWN_DUP2, console.fileno(), 2),
                ],
                setsid=True,
            )
        self._pid_file.write_text(f"{pid}\n")
        return pid

    def _wait_until_ready(self, pid: int, deadline: float) -> None:
        """Poll Bolt until it accepts our credentials; fail if the server dies or time runs out."""
        last_error: Exception | None = None
        with GraphDatabase.driver(
            self.bolt_uri, auth=(USER, self.password()), connection_timeout=2
        ) as driver:
            while time.monotonic() < deadline:
                if self._has_exited(pid):
                    raise LocalNeo4jError(f"Neo4j exited while starting.\n{self._log_tails()}")
                try:
                    driver.verify_connectivity()
                    return
                except AuthError:
                    raise LocalNeo4jError(self._wrong_password_message()) from None
                except (DriverError, Neo4jError, OSError) as error:
                    last_error = error
                time.sleep(0.5)
        raise LocalNeo4jError(
            f"Neo4j did not accept Bolt connections on {self.bolt_uri} in time "
            f"(last error: {last_error}).\n{self._log_tails()}"
        )

    def _wrong_password_message(self) -> str:
        source = "NEO4J_PASSWORD" if self._password is not None else str(self.home / "password")
        return (
            f"Neo4j in {self.home} runs but rejects the password from {source}: its data "
            f"({self.home / 'data'}) was created with another password. Either set "
            "NEO4J_PASSWORD to that old password, or stop the server and delete "
            f"{self.home / 'data'} to start with an empty graph and the current password."
        )

    def _wait_for_exit(self, pid: int, timeout: float) -> bool:
        """Wait until the server is gone; False if it still runs after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while self._is_our_server(pid):
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.2)
        return True

    def _has_exited(self, pid: int) -> bool:
        """Whether the server has died; for our own child, without racing its exec."""
        try:
            return os.waitpid(pid, os.WNOHANG)[0] == pid
        except ChildProcessError:  # another process launched it
            return not self._is_our_server(pid)

    def _is_our_server(self, pid: int) -> bool:
        """Whether `pid` is a live Neo4j server of this home (pids get reused)."""
        with contextlib.suppress(ChildProcessError):
            # When we launched it ourselves, collect its exit so it does not linger as a zombie.
            os.waitpid(pid, os.WNOHANG)
        # Padded with spaces so that home /x does not match a server of home /xy.
        arguments = f" {_command_line(pid)} "
        return f" {ENTRY_POINT} " in arguments and f" --home-dir={self.home} " in arguments

    def _running_pid(self) -> int | None:
        """The pid in the pid file, if it is a live server of this home."""
        try:
            pid = int(self._pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        return pid if self._is_our_server(pid) else None

    def _log_tails(self) -> str:
        """The last lines this run wrote to neo4j.log and console.log, for error messages."""
        logs = {"neo4j.log": self._log_offset, "console.log": 0}
        tails = {
            name: _tail(_read_from(self.home / "logs" / name, offset))
            for name, offset in logs.items()
        }
        return "\n".join(
            f"Last lines of {self.home / 'logs' / name}:\n{tail}"
            for name, tail in tails.items()
            if tail
        )

    def _environment(self) -> dict[str, str]:
        return {**os.environ, "NEO4J_HOME": str(self.home), "NEO4J_CONF": str(self._conf_dir)}

    @property
    def _classpath(self) -> str:
        return str(self.lib / "*")


def _java() -> str:
    """The java to run: JAVA_HOME's if set, else the one on PATH."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        java = Path(java_home) / "bin" / "java"
        if not java.is_file():
            raise LocalNeo4jError(f"JAVA_HOME is {java_home}, but {java} does not exist.")
        return str(java)
    java = shutil.which("java")
    if java is None:
        raise LocalNeo4jError(
            "Java is not installed (no JAVA_HOME, no `java` on PATH); Neo4j 5 needs Java 17 "
            "or 21, e.g. `apt-get install openjdk-17-jre-headless`."
        )
    return java


def _check_port_free(port: int) -> None:
    with socket.socket() as probe:
        probe.settimeout(1)
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            raise LocalNeo4jError(
                f"Port {port} on 127.0.0.1 is already in use by another program (another "
                "Neo4j?). Stop it, or give this server other ports."
            )


def _command_line(pid: int) -> str:
    """The process's arguments joined by spaces, or "" if there is no such live process."""
    if sys.platform == "linux":
        try:
            return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            return ""
    result = subprocess.run(
        ["ps", "-o", "args=", "-p", str(pid)], capture_output=True, text=True, check=False
    )
    return result.stdout


def _java_quoted(argument: str) -> str:
    """One argument as a Java argument file writes it: in double quotes, with backslash and
    double quote escaped."""
    escaped = argument.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _run(command: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False
    )


def _read_from(path: Path, offset: int) -> str:
    try:
        with path.open("rb") as file:
            file.seek(offset)
            return file.read().decode(errors="replace")
    except FileNotFoundError:
        return ""


def _tail(text: str) -> str:
    return "\n".join(_ANSI.sub("", text).rstrip().splitlines()[-LOG_TAIL_LINES:])
