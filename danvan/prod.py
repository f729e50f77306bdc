"""The production profile: Airflow with its metadata in PostgreSQL, CeleryExecutor on Redis, 2+ workers.

``danvan prod start`` (``make airflow-prod``) installs what is missing (Debian's ``postgresql`` and
``redis-server``, as root), creates the servers' state under ``$DANVAN_HOME/prod/`` and starts, each
as its own process group with a pid file: PostgreSQL (``pg_ctl``, 127.0.0.1 only), Redis
(``redis-server --daemonize yes``, 127.0.0.1 only, with a password), then Airflow's scheduler,
dag-processor, triggerer, API server and the Celery workers. ``danvan prod stop`` stops all of it
(Airflow first, then Redis, then PostgreSQL); ``danvan prod status`` says what runs.

Every choice is in ``$DANVAN_HOME/prod/profile.json`` (ports, process counts: written on the first
start from the options or ``DANVAN_PROD_*``), the generated secrets in ``prod/secrets.json``
(0600), and the whole environment the components run with in ``prod/airflow.env`` (0600: a worker
on another machine sources it, with ``DANVAN_HOME`` on storage every worker sees).

The data team's machine is not a laptop: no process count is Airflow's default (32 LocalExecutor
slots, 16 Celery processes per worker, 4 API workers); they follow :func:`sizing`.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

from transforms.config import Home

PG_USER = "danvan"
PG_DB = "airflow"
DEFAULT_PORTS = {"api_port": 8090, "pg_port": 55432, "redis_port": 56379}
APT_PACKAGES = ("postgresql", "redis-server")
STOP_GRACE_S = 30.0


@dataclass
class Profile:
    api_port: int
    pg_port: int
    redis_port: int
    workers: int  # Celery worker processes (each its own `airflow celery worker`)
    concurrency: int  # task slots per worker
    api_workers: int  # API server (uvicorn) processes
    batch_size: int  # DANVAN_BATCH_SIZE: about a national half-year's files / workers

    @property
    def parallelism(self) -> int:
        return self.workers * self.concurrency


def sizing(cpus: int | None = None, workers: int | None = None) -> dict[str, int]:
    """Process counts for a machine with ``cpus`` cores: one task slot a core, spread over at least
    2 workers; one API process for every 4 cores (at least 1). 2 cores: 2 workers x 1 slot, 1 API
    process; 8 cores: 2 x 4, 2 API processes; 16 cores with --workers 4: 4 x 4, 4."""
    cpus = cpus or os.cpu_count() or 2
    workers = max(2, workers or 2)
    return {
        "workers": workers,
        "concurrency": max(1, cpus // workers),
        "api_workers": max(1, min(4, cpus // 4)),
        # ceil: a national half-year before the reform is 772 files (705 districts, 63 provinces,
        # 4 bodies); after it ~3,500 one-row files, which the bytes cap keeps small either way
        "batch_size": -(-772 // workers),
    }


# ------------------------------------------------------------------------------------------ state
def prod_dir(h: Home) -> Path:
    return h.root / "prod"


def _read_json(path: Path) -> dict | None:
    return json.loads(path.read_text()) if path.exists() else None


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)


def load_profile(h: Home, **overrides) -> Profile:
    """The profile of this home: written on first use from ``overrides`` / ``DANVAN_PROD_*`` /
    defaults, then the same on every later start and stop (so stop finds what start started)."""
    path = prod_dir(h) / "profile.json"
    saved = _read_json(path)
    if saved is not None and not any(v is not None for v in overrides.values()):
        return Profile(**saved)
    base = saved or {}
    size = sizing(workers=overrides.get("workers") or _env_int("DANVAN_PROD_WORKERS"))
    values = {}
    for key in Profile.__dataclass_fields__:
        env = _env_int(f"DANVAN_PROD_{key.upper()}")
        values[key] = next(
            v
            for v in (overrides.get(key), env, base.get(key), DEFAULT_PORTS.get(key), size.get(key))
            if v is not None
        )
    profile = Profile(**values)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(asdict(profile), indent=2) + "\n")
    return profile


def _env_int(name: str) -> int | None:
    value = os.environ.get(name)
    return int(value) if value else None


def load_secrets(h: Home) -> dict[str, str]:
    path = prod_dir(h) / "secrets.json"
    saved = _read_json(path)
    if saved is not None:
        return saved
    from cryptography.fernet import Fernet

    made = {
        "pg_password": secrets.token_urlsafe(24),
        "redis_password": secrets.token_urlsafe(24),
        "jwt_secret": secrets.token_urlsafe(32),  # shared: the API server checks what the scheduler signs
        "api_secret_key": secrets.token_urlsafe(32),
        "fernet_key": Fernet.generate_key().decode(),
    }
    _write_private(path, json.dumps(made, indent=2) + "\n")
    return made


def environment(h: Home, p: Profile, s: dict[str, str]) -> dict[str, str]:
    """The environment every Airflow component of the profile runs with (also ``prod/airflow.env``)."""
    from danvan.airflow_env import configure

    saved = dict(os.environ)
    try:
        for key in [k for k in os.environ if k.startswith("AIRFLOW")]:
            del os.environ[key]
        base = configure(h)
        env = dict(os.environ)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    db = f"postgresql+psycopg2://{PG_USER}:{s['pg_password']}@127.0.0.1:{p.pg_port}/{PG_DB}"
    api = f"http://localhost:{p.api_port}"
    env.update(base)
    env.update(
        {
            "AIRFLOW__CORE__EXECUTOR": "airflow.providers.celery.executors.celery_executor.CeleryExecutor",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": db,
            "AIRFLOW__CELERY__BROKER_URL": f"redis://:{s['redis_password']}@127.0.0.1:{p.redis_port}/0",
            "AIRFLOW__CELERY__RESULT_BACKEND": "db+" + db,
            "AIRFLOW__CELERY__WORKER_CONCURRENCY": str(p.concurrency),
            "AIRFLOW__CORE__PARALLELISM": str(p.parallelism),
            "AIRFLOW__API__HOST": "127.0.0.1",
            "AIRFLOW__API__PORT": str(p.api_port),
            "AIRFLOW__API__WORKERS": str(p.api_workers),
            "AIRFLOW__API__BASE_URL": api,
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{api}/execution/",
            "AIRFLOW__API_AUTH__JWT_SECRET": s["jwt_secret"],
            "AIRFLOW__API__SECRET_KEY": s["api_secret_key"],
            "AIRFLOW__CORE__FERNET_KEY": s["fernet_key"],
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin,validator:user,analyst:viewer",
            "AIRFLOW__DAG_PROCESSOR__PARSING_PROCESSES": "1",
            # a loaded machine answers a task's start request in seconds, not the 5 s default allows:
            # a timed-out start leaves the task "running" until the 5-minute heartbeat timeout
            "AIRFLOW__WORKERS__EXECUTION_API_TIMEOUT": "30",
            "DANVAN_BATCH_SIZE": os.environ.get("DANVAN_BATCH_SIZE") or str(p.batch_size),
        }
    )
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in env.get("PATH", "").split(os.pathsep):
        env["PATH"] = os.pathsep.join([bin_dir, env.get("PATH", "")])
    return env


def components(p: Profile) -> list[tuple[str, list[str]]]:
    """Name and ``airflow`` arguments of each long-running Airflow process, in start order.

    Workers and the triggerer serve no logs (ports 8793/8794 on every interface): the task logs
    are files under ``$DANVAN_HOME/logs/airflow``, on storage the API server reads too."""
    procs = [
        ("api-server", ["api-server", "--host", "127.0.0.1", "--port", str(p.api_port)]),
        ("scheduler", ["scheduler"]),
        ("dag-processor", ["dag-processor"]),
        ("triggerer", ["triggerer", "--skip-serve-logs"]),
    ]
    for n in range(1, p.workers + 1):
        procs.append(
            (
                f"worker-{n}",
                [
                    "celery",
                    "worker",
                    "--concurrency",
                    str(p.concurrency),
                    "--celery-hostname",
                    f"worker-{n}@%h",
                    "--skip-serve-logs",
                ],
            )
        )
    return procs


# --------------------------------------------------------------------------------------- servers
def _pg_bin(name: str) -> Path | None:
    for d in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (d / name).exists():
            return d / name
    return None


def missing_packages() -> list[str]:
    missing = []
    if _pg_bin("initdb") is None:
        missing.append("postgresql")
    if shutil.which("redis-server") is None:
        missing.append("redis-server")
    return missing


def install_packages(say=print) -> None:
    """``apt-get install`` Debian's PostgreSQL and Redis when missing (as root); nothing when present."""
    missing = missing_packages()
    if not missing:
        return
    if os.geteuid() != 0:
        raise SystemExit(
            f"error: {' '.join(missing)} missing; as root: apt-get install -y {' '.join(missing)}"
        )
    say(f"Installing {' '.join(missing)} (apt-get)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    if subprocess.run(["apt-get", "install", "-y", "-q", *missing], env=env, check=False).returncode:
        subprocess.run(["apt-get", "update", "-q"], env=env, check=True)
        subprocess.run(["apt-get", "install", "-y", "-q", *missing], env=env, check=True)
    # Debian's package starts its own server on the default port: the profile runs its own.
    for unit in ("postgresql", "redis-server"):
        subprocess.run(["systemctl", "disable", "--now", unit], capture_output=True, check=False)


def _as_pg_owner(cmd: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run its commands as the ``postgres`` user."""
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def _pg_data(h: Home) -> Path:
    return prod_dir(h) / "postgres"


def _pg_running(h: Home) -> bool:
    data = _pg_data(h)
    if not (data / "PG_VERSION").exists():
        return False
    return (
        subprocess.run(
            _as_pg_owner([str(_pg_bin("pg_ctl")), "status", "-D", str(data)]), capture_output=True
        ).returncode
        == 0
    )


def start_postgres(h: Home, p: Profile, s: dict[str, str], say=print) -> None:
    data = _pg_data(h)
    logs = prod_dir(h) / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    if not (data / "PG_VERSION").exists():
        say(f"Creating the PostgreSQL cluster in {data}")
        data.mkdir(parents=True, exist_ok=True)
        reach = subprocess.run(
            _as_pg_owner(["test", "-x", str(data.parent)]), capture_output=True, check=False
        )
        if reach.returncode:
            raise SystemExit(
                f"error: PostgreSQL runs as `postgres`, which cannot reach {data.parent}: put DANVAN_HOME "
                "where it can (e.g. /srv/danvan), or give the folders above it o+x"
            )
        pwfile = prod_dir(h) / ".pgpass.init"
        _write_private(pwfile, s["pg_password"] + "\n")
        if os.geteuid() == 0:
            shutil.chown(data, "postgres", "postgres")
            shutil.chown(pwfile, "postgres", "postgres")
        os.chmod(data, 0o700)
        try:
            subprocess.run(
                _as_pg_owner(
                    [
                        str(_pg_bin("initdb")),
                        "-D",
                        str(data),
                        "-U",
                        PG_USER,
                        f"--pwfile={pwfile}",
                        "--auth-host=scram-sha-256",
                        "--auth-local=scram-sha-256",
                        "-E",
                        "UTF8",
                        "--locale=C.UTF-8",
                    ]
                ),
                check=True,
                stdout=subprocess.DEVNULL,
            )
        finally:
            pwfile.unlink(missing_ok=True)
    log = logs / "postgres.log"
    if os.geteuid() == 0:
        log.touch()
        shutil.chown(log, "postgres", "postgres")
    if not _pg_running(h):
        say(f"Starting PostgreSQL on 127.0.0.1:{p.pg_port}")
        options = f"-p {p.pg_port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={data}"
        subprocess.run(
            _as_pg_owner(
                [str(_pg_bin("pg_ctl")), "start", "-w", "-D", str(data), "-l", str(log), "-o", options]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
    import psycopg2

    con = psycopg2.connect(
        host="127.0.0.1", port=p.pg_port, user=PG_USER, password=s["pg_password"], dbname="postgres"
    )
    con.autocommit = True
    try:
        with con.cursor() as cur:
            cur.execute("select 1 from pg_database where datname = %s", [PG_DB])
            if cur.fetchone() is None:
                cur.execute(f'create database "{PG_DB}"')
    finally:
        con.close()


def stop_postgres(h: Home, say=print) -> None:
    if _pg_running(h):
        say("Stopping PostgreSQL")
        subprocess.run(
            _as_pg_owner([str(_pg_bin("pg_ctl")), "stop", "-w", "-m", "fast", "-D", str(_pg_data(h))]),
            check=False,
            stdout=subprocess.DEVNULL,
        )


def _redis_pidfile(h: Home) -> Path:
    return prod_dir(h) / "pids" / "redis.pid"


def start_redis(h: Home, p: Profile, s: dict[str, str], say=print) -> None:
    if _alive(_read_pid(_redis_pidfile(h))):
        return
    state = prod_dir(h) / "redis"
    state.mkdir(parents=True, exist_ok=True)
    _redis_pidfile(h).parent.mkdir(parents=True, exist_ok=True)
    (prod_dir(h) / "logs").mkdir(parents=True, exist_ok=True)
    conf = prod_dir(h) / "redis.conf"  # the password is not on a command line that `ps` shows
    _write_private(
        conf,
        "\n".join(
            [
                f"port {p.redis_port}",
                "bind 127.0.0.1",
                "protected-mode yes",
                "daemonize yes",
                f"dir {state}",
                f"pidfile {_redis_pidfile(h)}",
                f"logfile {prod_dir(h) / 'logs' / 'redis.log'}",
                f"requirepass {s['redis_password']}",
                "",
            ]
        ),
    )
    say(f"Starting Redis on 127.0.0.1:{p.redis_port}")
    subprocess.run(["redis-server", str(conf)], check=True)
    _wait_port(p.redis_port, 20, "Redis")


def stop_redis(h: Home, say=print) -> None:
    pid = _read_pid(_redis_pidfile(h))
    if _alive(pid):
        say("Stopping Redis")
        os.kill(pid, signal.SIGTERM)
        _wait_gone(pid, STOP_GRACE_S)


# -------------------------------------------------------------------------------------- processes
def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _wait_gone(pid: int, grace: float) -> bool:
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass
        if not _alive(pid):
            return True
        time.sleep(0.3)
    return False


def _wait_port(port: int, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.3)
    raise RuntimeError(f"{what} did not listen on 127.0.0.1:{port} within {timeout:.0f} s")


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _stop_group(pgid: int, grace: float) -> None:
    """SIGTERM to the component's process group (its own children too), SIGKILL after ``grace``."""
    try:
        os.killpg(pgid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        try:
            os.waitpid(pgid, os.WNOHANG)
        except ChildProcessError:
            pass
        if not _group_alive(pgid):
            return
        time.sleep(0.3)
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def write_env_file(h: Home, env: dict[str, str]) -> Path:
    keys = sorted(k for k in env if k.startswith(("AIRFLOW", "DANVAN", "GX_")) or k == "PYTHONPATH")
    path = prod_dir(h) / "airflow.env"
    _write_private(path, "".join(f"{k}={json.dumps(env[k])}\n" for k in keys))
    return path


def start(h: Home, *, say=print, timeout: float = 240.0, **overrides) -> Profile:
    """Install what is missing, start the servers and every Airflow component; wait for the API."""
    install_packages(say)
    p = load_profile(h, **overrides)
    s = load_secrets(h)
    env = environment(h, p, s)
    write_env_file(h, env)
    start_postgres(h, p, s, say)
    start_redis(h, p, s, say)
    logs, pids = prod_dir(h) / "logs", prod_dir(h) / "pids"
    logs.mkdir(parents=True, exist_ok=True)
    pids.mkdir(parents=True, exist_ok=True)
    airflow = str(Path(sys.executable).with_name("airflow"))
    say("Migrating Airflow's metadata in PostgreSQL")
    with (logs / "db-migrate.log").open("a") as out:
        subprocess.run([airflow, "db", "migrate"], env=env, stdout=out, stderr=subprocess.STDOUT, check=True)
    for name, args in components(p):
        pidfile = pids / f"{name}.pid"
        if _alive(_read_pid(pidfile)):
            continue
        with (logs / f"{name}.log").open("a") as out:
            proc = subprocess.Popen(
                [airflow, *args],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own process group: stop takes its children too
                cwd=h.root,
            )
        pidfile.write_text(f"{proc.pid}\n")
        say(f"Started {name} (pid {proc.pid}, log {logs / (name + '.log')})")
    wait_healthy(h, p, timeout)
    return p


def wait_healthy(h: Home, p: Profile, timeout: float) -> dict:
    """Wait until the API server answers and reports the scheduler, triggerer and dag-processor
    healthy; a component that exits meanwhile fails at once, with the end of its log."""
    url = f"http://127.0.0.1:{p.api_port}/api/v2/monitor/health"
    deadline = time.monotonic() + timeout
    last: dict | str = "no answer"
    while time.monotonic() < deadline:
        for name, _ in components(p):
            pid = _read_pid(prod_dir(h) / "pids" / f"{name}.pid")
            if pid:
                try:
                    os.waitpid(pid, os.WNOHANG)
                except ChildProcessError:
                    pass
            if not _alive(pid):
                log = prod_dir(h) / "logs" / f"{name}.log"
                tail = "\n".join(log.read_text(errors="replace").splitlines()[-15:]) if log.exists() else ""
                raise RuntimeError(f"{name} exited; the end of {log}:\n{tail}")
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                last = json.loads(resp.read())
            if all(
                (last.get(k) or {}).get("status") == "healthy"
                for k in ("metadatabase", "scheduler", "triggerer", "dag_processor")
            ):
                return last
        except (OSError, ValueError) as exc:
            last = str(exc)
        time.sleep(1)
    raise RuntimeError(f"Airflow not healthy after {timeout:.0f} s: {last}")


def stop(h: Home, *, say=print) -> None:
    """Stop everything ``start`` started for this home (Airflow, then Redis, then PostgreSQL)."""
    pids = prod_dir(h) / "pids"
    for name in reversed(
        [n for n, _ in components(load_profile(h))] if (prod_dir(h) / "profile.json").exists() else []
    ):
        pidfile = pids / f"{name}.pid"
        pid = _read_pid(pidfile)
        if pid and _group_alive(pid):
            say(f"Stopping {name} (pid {pid})")
            _stop_group(pid, STOP_GRACE_S)
        pidfile.unlink(missing_ok=True)
    for stray in pids.glob("worker-*.pid") if pids.exists() else []:  # a profile that had more workers
        pid = _read_pid(stray)
        if pid and _group_alive(pid):
            _stop_group(pid, STOP_GRACE_S)
        stray.unlink(missing_ok=True)
    stop_redis(h, say)
    stop_postgres(h, say)


def standalone_pidfile(h: Home) -> Path:  # written by `danvan airflow` before it becomes `airflow standalone`
    return h.airflow_home / "standalone.pid"


def serving(h: Home) -> str | None:
    """The Airflow that serves this home now, in words, with how to stop it ("the production
    profile's scheduler (pid N; `danvan prod stop`)"), or None. Its DAGs take up the inbox and
    roll up: a `danvan run` beside them would work through the same claimed files and the same
    rollup build (its in-process ``dag.test`` runs know nothing of ``max_active_runs``)."""
    for pidfile, what in (
        (
            prod_dir(h) / "pids" / "scheduler.pid",
            "the production profile's scheduler (pid {}; `danvan prod stop`)",
        ),
        (standalone_pidfile(h), "`danvan airflow` (pid {}; Ctrl-C where it runs)"),
    ):
        pid = _read_pid(pidfile)
        if pid and _alive(pid) and b"airflow" in _cmdline(pid):  # not a pid reused since
            return what.format(pid)
    return None


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b"airflow"  # no /proc to tell: take the pid file's word


def status(h: Home) -> list[tuple[str, str]]:
    if not (prod_dir(h) / "profile.json").exists():
        return []
    p = load_profile(h)
    rows = [("postgres", "running" if _pg_running(h) else "stopped")]
    rows.append(("redis", "running" if _alive(_read_pid(_redis_pidfile(h))) else "stopped"))
    for name, _ in components(p):
        pid = _read_pid(prod_dir(h) / "pids" / f"{name}.pid")
        rows.append((name, f"running (pid {pid})" if pid and _group_alive(pid) else "stopped"))
    return rows
