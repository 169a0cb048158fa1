"""Translate on a Ray cluster: the same run, decoded by many machines.

    with RayExecutor("auto", out_dir=Path("translations")) as executor:
        result = translate_documents(["archive"], executor=executor)
    print(executor.summary())

Only decoding leaves the driver. ``translate_documents`` plans the run as always (reads,
segments, matches the glossary, decides what needs decoding); each machine-translation
engine it chose is wrapped (:meth:`RayExecutor.wrap`) into an engine whose
``translate_batch`` cuts its sentences into *shards* and sends them to Ray actors. The
driver then merges and writes the store exactly as a plain run does (same lock, merge
rules, atomic writes, index); workers never touch ``translations/``.

* **Workers**: one actor per node by default, holding the loaded models (``num_cpus`` the
  node's cores; on a cluster with GPUs one actor per GPU, ``num_gpus=1``, device cuda).
  ``actor_cpus=C`` runs one actor per C cores of each node instead, ``actors=N`` N actors
  (of C CPUs each, or sharing the cluster's CPUs). An actor's CTranslate2 and OpenMP
  threads stay within its CPU share.
* **Shards**: the distinct sentences of a language in shards of whole decoding batches of
  a plain run (:func:`plan_shards`), longest first, balanced by source tokens, of about
  ``shard_size`` sentences (default: ~8 shards per actor, 32 to 256; so one huge document
  spreads too). A shard goes to an actor when it is idle (a multi-core actor decodes two
  at once, a GPU actor has one waiting), so a slow actor takes fewer and none waits for a
  shard queued behind another; results stream back as they finish (``ray.wait``).
* **Failures**: a shard whose actor dies (process killed, node lost) goes back to the
  queue and a replacement actor is started; a shard that raises is retried on another
  actor, up to ``max_attempts`` times, then the run stops with the worker's message.
* **Resume**: every finished shard is checkpointed atomically in
  ``translations/.cluster/<signature>/<shard>.json`` (outputs keyed by the hash of the
  engine signature and the sentence as sent to the model). A run that was interrupted
  re-uses them instead of decoding again; a run that completes deletes them.
* **The model**: a package is recognised on a worker by the digest of its files. A node
  that has it at the same path (a shared file system, or the same machine) uses it; any
  other node gets it once from Ray's object store and unpacks it into a node-local cache
  (``cache_dir``, default ``$TMPDIR/workbench-cluster``) under a file lock, so the
  actors of a node install it once.

Translations are identical to a plain run's: a sentence's translation can depend (in the
last bits of the arithmetic, hence sometimes in a beam search's choice) on the other
sentences of its batch, so a shard is made of whole batches of the plain run and is
decoded as exactly those batches (``ArgosEngine._groups``); the workers build the engine
with the same options (the signature stored is the one
the workers report, e.g. ``device: cuda`` on GPUs).

Ray is optional (``pip install 'workbench[cluster]'``); nothing else imports this module.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import socket
import tarfile
import tempfile
import time
from collections import deque
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

from workbench import __version__
from workbench.cluster_shards import default_shard_size, plan_shards
from workbench.engines import Engine, EngineSignature, Progress
from workbench.errors import EngineError, WorkbenchError
from workbench.files import atomic_write_text

INSTALL_HINT = "pip install 'workbench[cluster]'"
CHECKPOINT_DIR = ".cluster"
#: Called with (shards finished, shards in all) as shards finish; the CLI draws a bar.
ShardProgress = Callable[[int, int], None]


class ClusterError(EngineError):
    """Ray is missing or unreachable, or the cluster cannot decode (one line, with the fix)."""


def import_ray() -> Any:
    """The ``ray`` module, or a :class:`ClusterError` saying how to install it."""
    try:
        import ray
    except ImportError:
        raise ClusterError(f"--cluster needs Ray, which is not installed here; install it with: {INSTALL_HINT}") from None
    return ray


# ---------------------------------------------------------------- what travels to workers


@dataclass(frozen=True)
class EngineSpec:
    """How a worker builds one engine: registry name, language, package, options."""

    key: str  # digest of everything below: the actor's cache key
    engine: str
    source_lang: str
    package: Any  # workbench.models.InstalledPackage, path as on the driver
    package_digest: str
    package_ref: Any  # ObjectRef of the package as an uncompressed tar, or None (shared path only)
    options: dict[str, object]
    cache_dir: str | None


def package_digest(path: Path) -> str:
    """A digest of a package directory's files (names and bytes), equal on every node that has it."""
    h = hashlib.sha256()
    for file in sorted(p for p in Path(path).rglob("*") if p.is_file()):
        h.update(str(file.relative_to(path)).encode("utf-8") + b"\0")
        with open(file, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        h.update(b"\0")
    return h.hexdigest()[:24]


def pack_package(path: Path) -> bytes:
    """The package directory as an uncompressed tar (its files are already compressed or int8)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        tar.add(str(path), arcname=Path(path).name)
    return buf.getvalue()


def install_on_node(spec: EngineSpec, ray: Any) -> tuple[Path, str]:
    """The package's directory on this node, and how it got there ("shared path", "object store")."""
    from filelock import FileLock

    if spec.package_ref is None or (Path(spec.package.path).is_dir() and package_digest(spec.package.path) == spec.package_digest):
        return Path(spec.package.path), "shared path"
    base = Path(spec.cache_dir or os.path.join(tempfile.gettempdir(), "workbench-cluster"))
    dest = base / spec.package_digest
    base.mkdir(parents=True, exist_ok=True)
    with FileLock(str(base / f".{spec.package_digest}.lock")):
        if (dest / ".installed").exists():
            return dest / Path(spec.package.path).name, "object store (cached on node)"
        tmp = Path(tempfile.mkdtemp(prefix=f".{spec.package_digest}.", dir=base))
        data = ray.get(spec.package_ref)
        with tarfile.open(fileobj=io.BytesIO(data), mode="r") as tar:
            try:
                tar.extractall(tmp, filter="data")
            except TypeError:  # Python < 3.11.4: no filters (the archive is our own)
                tar.extractall(tmp)
        (tmp / ".installed").write_text(spec.package_digest)
        if dest.exists():
            import shutil

            shutil.rmtree(dest)
        os.replace(tmp, dest)
    return dest / Path(spec.package.path).name, "object store"


class Worker:
    """A Ray actor holding loaded engines; created through ``ray.remote(Worker)``."""

    def __init__(self, driver_version: str, cpus: float, gpus: float) -> None:
        import threading

        self.driver_version = driver_version
        self.cpus, self.gpus = cpus, gpus
        self.engines: dict[str, Engine] = {}
        self.package_via: dict[str, str] = {}
        self._lock = threading.Lock()  # shards may decode concurrently (a multi-core actor)
        self._active = 0
        self._busy = 0.0  # wall seconds with at least one shard decoding
        self._busy_since = 0.0
        self._cpu_start = time.process_time()

    def _engine(self, spec: EngineSpec) -> Engine:
        with self._lock:
            return self._engine_locked(spec)

    def _engine_locked(self, spec: EngineSpec) -> Engine:
        engine = self.engines.get(spec.key)
        if engine is None:
            import ray

            from workbench import engines

            path, via = install_on_node(spec, ray)
            engine = engines.create(spec.engine, source_lang=spec.source_lang, package=replace(spec.package, path=path), **spec.options)
            getattr(engine, "preload", lambda: None)()  # load in the background while other specs are set up
            self.engines[spec.key] = engine
            self.package_via[spec.key] = via
        return engine

    def ready(self, specs: list[EngineSpec]) -> dict[str, object]:
        """Check the version, set up every engine (models start loading), say who we are."""
        import ray

        if self.driver_version != __version__:
            raise ClusterError(f"a Ray worker on {socket.gethostname()} runs workbench {__version__}, the driver {self.driver_version}; install the same version on every node")
        signatures = {spec.key: self._engine(spec).signature for spec in specs}
        return {
            "node": ray.get_runtime_context().get_node_id(),
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "cpus": self.cpus,
            "gpus": self.gpus,
            "signatures": signatures,
            "package": sorted(set(self.package_via.values())),
        }

    def translate(self, spec: EngineSpec, texts: list[str]) -> tuple[list[str], tuple[float, float], EngineSignature]:
        """The shard's outputs, the actor's (busy wall, CPU) seconds so far, and the engine's signature.

        Busy: wall time with at least one shard decoding (shards overlap in a multi-core
        actor); CPU: the process's since it started (model loading included)."""
        with self._lock:
            if self._active == 0:
                self._busy_since = time.perf_counter()
            self._active += 1
        try:
            engine = self._engine(spec)
            out = engine.translate_batch(texts)
        finally:
            with self._lock:
                self._active -= 1
                now = time.perf_counter()
                self._busy += now - self._busy_since
                self._busy_since = now
                busy = self._busy
        return out, (busy, time.process_time() - self._cpu_start), engine.signature


# ---------------------------------------------------------------- the driver's side


@dataclass
class WorkerStats:
    """One actor's share of the run (the JSON summary's ``workers``)."""

    worker: str
    node: str = ""
    host: str = ""
    pid: int = 0
    cpus: float = 0
    gpus: float = 0
    package: str = ""
    shards: int = 0
    sentences: int = 0
    seconds: float = 0.0  # wall time with a shard decoding (waiting for the model on the first included)
    cpu_seconds: float = 0.0  # CPU time of the actor's process (all its threads, model loading included)
    alive: bool = True

    def as_dict(self) -> dict[str, object]:
        out = asdict(self)
        out["seconds"] = round(self.seconds, 3)
        out["cpu_seconds"] = round(self.cpu_seconds, 3)
        out["sentences_per_s"] = round(self.sentences / self.seconds, 2) if self.seconds > 0 else 0.0
        out["sentences_per_cpu_s"] = round(self.sentences / self.cpu_seconds, 2) if self.cpu_seconds > 0 else 0.0
        return out


@dataclass
class _Shard:
    id: str
    spec: EngineSpec
    texts: list[str]
    attempts: int = 0
    failed_on: set[str] = field(default_factory=set)


@dataclass
class _Actor:
    name: str
    handle: Any
    resources: dict[str, Any]
    ready_ref: Any = None
    ready: bool = False
    inflight: list[Any] = field(default_factory=list)  # ObjectRefs of its shards


class ClusterEngine:
    """An engine whose ``translate_batch`` runs on the cluster (the wrapped engine's name and signature)."""

    def __init__(self, executor: RayExecutor, base: Engine, spec: EngineSpec) -> None:
        self.executor, self.base, self.spec = executor, base, spec
        self.name = base.name
        self.is_mt = base.is_mt

    @property
    def signature(self) -> EngineSignature:
        return self.executor.signature_of(self.spec, self.base)

    def preload(self) -> None:
        self.executor.start()

    def translate_batch(self, texts: list[str], progress: Progress | None = None) -> list[str]:
        return self.executor.decode(self.spec, self.base, self.signature, texts, progress)


class RayExecutor:
    """Runs engines' decoding on a Ray cluster; a context manager around one run.

    ``address``: ``auto`` (``ray.init()``: the running local cluster, else a new one on this
    machine), ``ray://HOST:PORT`` (Ray Client) or ``HOST:PORT`` (a cluster this machine is
    a node of). Ray already initialised by the caller is used as it is.
    """

    #: Shards decoding at once in a multi-core actor (a 1-CPU actor takes one at a time): on
    #: CPUs no shard waits in an actor's queue while another actor idles.
    CONCURRENCY = 2

    def __init__(
        self,
        address: str,
        *,
        out_dir: Path = Path("translations"),
        actors: int | None = None,
        actor_cpus: int | None = None,
        shard_size: int | None = None,
        ship: str = "auto",
        cache_dir: Path | None = None,
        max_attempts: int = 3,
        start_timeout: float = 300.0,
        progress: ShardProgress | None = None,
        notify: Callable[[str], None] = lambda _m: None,
    ) -> None:
        if ship not in ("auto", "object-store", "path"):
            raise ClusterError(f"unknown package shipping {ship!r}; use auto, object-store or path")
        self.address = address
        self.out_dir = Path(out_dir)
        self.actors_wanted = actors
        self.actor_cpus = actor_cpus
        self.shard_size = shard_size
        self.ship = ship
        self.cache_dir = str(cache_dir) if cache_dir else None
        self.max_attempts = max(1, max_attempts)
        self.start_timeout = start_timeout
        self.progress = progress
        self.notify = notify
        self.ray: Any = None
        self._owns_ray = False
        self._specs: list[EngineSpec] = []
        self._signatures: dict[str, EngineSignature] = {}
        self._pool: dict[str, _Actor] = {}
        self._resources: list[dict[str, Any]] = []  # one entry per actor slot
        self._stats: dict[str, WorkerStats] = {}
        self._deaths = 0
        self._started_at = 0.0
        self._shards_total = self._shards_done = self._shards_resumed = 0
        self._sentences = self._sentences_resumed = self._retried = self._duplicates = 0
        self._results: dict[str, dict[str, str]] = {}  # per signature key: sentence key -> output
        self._from_disk: dict[str, set[str]] = {}  # sentence keys read from checkpoints, not yet counted
        self._checkpoint_dirs: set[Path] = set()
        self._package_refs: dict[str, Any] = {}
        self._remote_worker: Any = None
        self._cpu_only = False

    # ------------------------------------------------------------ connection

    def __enter__(self) -> RayExecutor:
        self.connect()
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        self.close(completed=exc_type is None)

    def connect(self) -> None:
        import logging

        ray = import_ray()
        self.ray = ray
        self._started_at = time.perf_counter()
        if ray.is_initialized():
            return
        try:
            if self.address == "auto":
                ray.init(include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING)
            else:
                ray.init(address=self.address, logging_level=logging.WARNING, log_to_driver=False)
        except Exception as exc:  # noqa: BLE001 - ConnectionError, RuntimeError, ValueError...
            message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise ClusterError(
                f"cannot reach the Ray cluster at {self.address} ({message}); give ray://HEAD:10001 of a cluster started with `ray start --head`, or auto"
            ) from None
        self._owns_ray = True

    def close(self, completed: bool = False) -> None:
        """Stop the actors; after a completed run, delete the checkpoints it used."""
        for actor in list(self._pool.values()):
            self._kill(actor)
        self._pool.clear()
        if completed:  # the store has every result now: drop this run's checkpoint directories
            import shutil

            for directory in self._checkpoint_dirs:
                shutil.rmtree(directory, ignore_errors=True)
            try:
                (self.out_dir / CHECKPOINT_DIR).rmdir()
            except OSError:
                pass  # not empty (another configuration's checkpoints) or already gone
            self._checkpoint_dirs.clear()
        if self._owns_ray and self.ray is not None:
            self.ray.shutdown()
            self._owns_ray = False

    # ------------------------------------------------------------ engines

    def wrap(self, engine: Engine, options: dict[str, object] | None = None) -> Engine:
        """``engine`` decoding on the cluster (an engine with no model package stays local)."""
        package = getattr(engine, "package", None)
        if not engine.is_mt or package is None or self.ray is None:
            return engine
        opts = {k: v for k, v in (options or {}).items() if k != "device"}
        self._cpu_only = self._cpu_only or (options or {}).get("device") == "cpu"  # --device cpu: no GPU actors
        digest = package_digest(package.path)
        if self.ship != "path" and digest not in self._package_refs:
            self._package_refs[digest] = self.ray.put(pack_package(package.path))
        ref = self._package_refs.get(digest) if self.ship != "path" else None
        key = hashlib.sha1(json.dumps([engine.name, getattr(engine, "source_lang", ""), digest, sorted(opts.items(), key=str)], default=str).encode()).hexdigest()[:16]
        path = package.path if self.ship != "object-store" else Path("/nonexistent-shared-path") / Path(package.path).name
        spec = EngineSpec(key, engine.name, getattr(engine, "source_lang", ""), replace(package, path=path), digest, ref, opts, self.cache_dir)
        self._specs.append(spec)
        return ClusterEngine(self, engine, spec)

    def signature_of(self, spec: EngineSpec, base: Engine) -> EngineSignature:
        """The signature the workers' engine has (the first ready worker reports it)."""
        if spec.key not in self._signatures:
            self.start()
            self._pump(until=lambda: spec.key in self._signatures)
        return self._signatures[spec.key]

    # ------------------------------------------------------------ actors

    def _plan_slots(self) -> list[dict[str, Any]]:
        """Resources (and node affinity) of each actor to run."""
        ray = self.ray
        nodes = [n for n in ray.nodes() if n.get("Alive")]
        total = ray.cluster_resources()
        gpus, cpus = 0 if self._cpu_only else int(total.get("GPU", 0)), float(total.get("CPU", 0))
        if gpus:
            n = self.actors_wanted or gpus
            return [{"num_cpus": 1, "num_gpus": 1, "device": "cuda"} for _ in range(n)]
        if self.actors_wanted:
            each = float(self.actor_cpus or max(1, int(cpus // self.actors_wanted)))
            return [{"num_cpus": each, "num_gpus": 0, "device": "cpu"} for _ in range(self.actors_wanted)]
        slots = []
        for node in nodes:  # one actor per node using its cores, or per actor_cpus cores of it
            node_cpus = float(node.get("Resources", {}).get("CPU", 0))
            each = float(self.actor_cpus) if self.actor_cpus else node_cpus
            for _ in range(int(node_cpus // each) if each >= 1 else 0):
                slots.append({"num_cpus": each, "num_gpus": 0, "device": "cpu", "node": node["NodeID"]})
        return slots or [{"num_cpus": float(self.actor_cpus or 1), "num_gpus": 0, "device": "cpu"}]

    def start(self) -> None:
        """Start the actors (idempotent); they report when their models are set up."""
        if self._pool or self.ray is None:
            return
        if not self._resources:
            self._resources = self._plan_slots()
        for slot in self._resources:
            self._spawn(slot)

    def _spawn(self, slot: dict[str, Any]) -> None:
        ray = self.ray
        # A multi-core actor decodes two shards at once, so its threads do not wait at a shard's
        # end; its OpenMP threads are capped at its CPU share (as CTranslate2's, by _for_slot).
        threads = max(1, int(slot["num_cpus"]))
        options: dict[str, Any] = {
            "num_cpus": slot["num_cpus"],
            "num_gpus": slot["num_gpus"],
            "max_restarts": 0,
            "max_concurrency": self._concurrency(slot),
            "runtime_env": {"env_vars": {"OMP_NUM_THREADS": str(threads)}},
        }
        if slot.get("node"):
            from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

            options["scheduling_strategy"] = NodeAffinitySchedulingStrategy(node_id=slot["node"], soft=True)
        if self._remote_worker is None:
            self._remote_worker = ray.remote(Worker)
        handle = self._remote_worker.options(**options).remote(__version__, slot["num_cpus"], slot["num_gpus"])
        name = f"actor-{len(self._stats) + 1}"
        actor = _Actor(name, handle, slot)
        actor.ready_ref = handle.ready.remote([self._for_slot(s, slot) for s in self._specs])
        self._pool[name] = actor
        self._stats[name] = WorkerStats(worker=name, cpus=slot["num_cpus"], gpus=slot["num_gpus"])

    def _for_slot(self, spec: EngineSpec, slot: dict[str, Any]) -> EngineSpec:
        """The spec with this actor's device and thread counts (unless the user set them)."""
        from workbench.engines.argos import default_threads

        opts = dict(spec.options)
        opts["device"] = slot["device"]
        if slot["device"] == "cpu" and "inter_threads" not in opts and "intra_threads" not in opts:
            opts["inter_threads"], opts["intra_threads"] = default_threads(int(slot["num_cpus"]))
        return replace(spec, options=opts)

    def _concurrency(self, slot: dict[str, Any]) -> int:
        """Shards an actor decodes at once: two on a multi-core CPU actor, else one."""
        return self.CONCURRENCY if int(slot["num_cpus"]) > 1 and not slot["num_gpus"] else 1

    def _inflight_cap(self, slot: dict[str, Any]) -> int:
        """Shards sent to an actor at once: as many as it decodes (a GPU actor: one more,
        waiting, so the GPU does not idle between its large shards)."""
        return self.CONCURRENCY if slot["num_gpus"] else self._concurrency(slot)

    def _kill(self, actor: _Actor) -> None:
        try:
            self.ray.kill(actor.handle, no_restart=True)
        except Exception:  # noqa: BLE001 - already gone
            pass

    def _died(self, actor: _Actor, queue: deque[_Shard], inflight: dict[Any, tuple[_Shard, _Actor]], why: str) -> None:
        """An actor is gone: its shards go back to the queue, a replacement is started."""
        if actor.name not in self._pool:
            return
        del self._pool[actor.name]
        self._stats[actor.name].alive = False
        self._kill(actor)
        self._deaths += 1
        for ref in actor.inflight:
            shard, _a = inflight.pop(ref, (None, None))
            if shard is not None:
                queue.appendleft(shard)
                self._retried += 1
        actor.inflight.clear()
        self.notify(f"cluster: worker {actor.name} ({self._stats[actor.name].host or 'not started'}) died ({why}); its shards go to other workers")
        limit = 2 * max(1, len(self._resources)) + 2
        if self._deaths <= limit:
            self._spawn(actor.resources)
        elif not self._pool:
            raise ClusterError(f"Ray workers died {self._deaths} times ({why}); check the workers' memory and logs (`ray logs` on the head node) and run again: finished shards are kept")

    # ------------------------------------------------------------ decoding

    def _pump(self, until: Callable[[], bool], queue: deque[_Shard] | None = None, inflight: dict[Any, tuple[_Shard, _Actor]] | None = None, on_done: Callable[[_Shard, list[str]], None] | None = None) -> None:
        """Schedule shards to idle actors and handle whatever finishes, until ``until()``."""
        ray = self.ray
        queue = queue if queue is not None else deque()
        inflight = inflight if inflight is not None else {}
        waited_since = time.monotonic()
        while not until():
            for actor in list(self._pool.values()):
                while actor.ready and queue and len(actor.inflight) < self._inflight_cap(actor.resources):
                    shard = self._next_for(queue, actor)
                    if shard is None:
                        break
                    ref = actor.handle.translate.remote(self._for_slot(shard.spec, actor.resources), shard.texts)
                    actor.inflight.append(ref)
                    inflight[ref] = (shard, actor)
            starting = {a.ready_ref: a for a in self._pool.values() if not a.ready}
            refs = list(inflight) + list(starting)
            if not refs:
                raise ClusterError("no Ray worker is left to decode; check the cluster (`ray status`) and run again: finished shards are kept")
            live = any(a.ready for a in self._pool.values())
            done, _ = ray.wait(refs, num_returns=1, timeout=None if live else 5.0)
            if not done:
                if time.monotonic() - waited_since > self.start_timeout:
                    free = ray.available_resources()
                    raise ClusterError(
                        f"no Ray worker started in {self.start_timeout:.0f} s (free: {free.get('CPU', 0):g} CPU, {free.get('GPU', 0):g} GPU); give fewer --cluster-actors or add nodes"
                    )
                continue
            ref = done[0]
            if ref in starting:
                self._on_ready(starting[ref], ref, queue, inflight)
                continue
            shard, actor = inflight.pop(ref)
            if ref in actor.inflight:
                actor.inflight.remove(ref)
            try:
                outputs, seconds, signature = ray.get(ref)
            except ray.exceptions.RayActorError as exc:
                inflight[ref] = (shard, actor)  # _died requeues it with the actor's other shards
                actor.inflight.append(ref)
                self._died(actor, queue, inflight, _reason(exc))
                continue
            except ray.exceptions.RayTaskError as exc:
                shard.attempts += 1
                shard.failed_on.add(actor.name)
                cause = getattr(exc, "cause", None) or exc
                if shard.attempts >= self.max_attempts:
                    if isinstance(cause, WorkbenchError):
                        raise ClusterError(f"{cause} (on Ray worker {self._stats[actor.name].host}, {shard.attempts} attempts)") from None
                    raise ClusterError(f"a shard failed {shard.attempts} times on Ray workers ({_reason(cause)}); finished shards are kept, run again") from None
                self._retried += 1
                queue.append(shard)
                continue
            except ray.exceptions.RayError as exc:  # e.g. the result was lost with its node: decode it again
                shard.attempts += 1
                if shard.attempts >= self.max_attempts:
                    raise ClusterError(f"a shard was lost {shard.attempts} times on the Ray cluster ({_reason(exc)}); finished shards are kept, run again") from None
                self._retried += 1
                queue.append(shard)
                continue
            stats = self._stats[actor.name]
            stats.shards += 1
            stats.sentences += len(shard.texts)
            stats.seconds = max(stats.seconds, seconds[0])  # the actor's totals so far (results may arrive out of order)
            stats.cpu_seconds = max(stats.cpu_seconds, seconds[1])
            self._signatures.setdefault(shard.spec.key, signature)
            if on_done is not None:
                on_done(shard, outputs)

    def _next_for(self, queue: deque[_Shard], actor: _Actor) -> _Shard | None:
        """The next shard for ``actor``: the first one that has not already failed on it
        (any one if every live actor has failed it)."""
        live = set(self._pool)
        for i, shard in enumerate(queue):
            if actor.name not in shard.failed_on or live <= shard.failed_on:
                del queue[i]
                return shard
        return None

    def _on_ready(self, actor: _Actor, ref: Any, queue: deque[_Shard], inflight: dict[Any, tuple[_Shard, _Actor]]) -> None:
        ray = self.ray
        try:
            info = ray.get(ref)
        except ray.exceptions.RayActorError as exc:
            self._died(actor, queue, inflight, _reason(exc))
            return
        except ray.exceptions.RayTaskError as exc:
            cause = getattr(exc, "cause", None) or exc
            raise ClusterError(str(cause).splitlines()[0] if isinstance(cause, WorkbenchError) else f"a Ray worker could not start ({_reason(cause)})") from None
        actor.ready = True
        stats = self._stats[actor.name]
        stats.node, stats.host, stats.pid = str(info["node"])[:12], str(info["host"]), int(info["pid"])  # type: ignore[call-overload]
        stats.package = ", ".join(info["package"])  # type: ignore[arg-type]
        for key, sig in dict(info["signatures"]).items():  # type: ignore[call-overload]
            self._signatures.setdefault(key, sig)

    def decode(self, spec: EngineSpec, base: Engine, signature: EngineSignature, texts: list[str], progress: Progress | None = None) -> list[str]:
        """Translate ``texts`` on the cluster: checkpointed shards (:func:`plan_shards`), longest first."""
        if not texts:
            return []
        sig = json.dumps(signature.as_dict(), sort_keys=True, ensure_ascii=False)
        sig_key = hashlib.sha1(sig.encode("utf-8")).hexdigest()[:16]
        key_of = {t: hashlib.sha1(f"{sig}\n{t}".encode("utf-8")).hexdigest()[:24] for t in texts}
        if sig_key not in self._results:  # read once per run: what an interrupted run finished
            self._results[sig_key] = self._load_checkpoints(sig_key, sig)
            self._from_disk[sig_key] = set(self._results[sig_key])
        results = self._results[sig_key]
        todo = [t for t in dict.fromkeys(texts) if key_of[t] not in results]
        resumed = sum(1 for t in key_of if key_of[t] in self._from_disk[sig_key])
        self._from_disk[sig_key] -= {key_of[t] for t in key_of}  # counted once
        if resumed:
            self._sentences_resumed += resumed
            self.notify(f"cluster: {resumed} sentences taken from the checkpoints of an interrupted run ({self.out_dir / CHECKPOINT_DIR})")
        cached = sum(1 for t in texts if key_of[t] in results)
        if progress and cached:
            progress(cached)
        size = self.shard_size or default_shard_size(len(key_of), self._resources or self._plan_slots())
        shards: deque[_Shard] = deque()
        for chunk in plan_shards(base, texts, size) if todo else []:
            if all(key_of[t] in results for t in chunk):
                continue  # finished by an earlier, interrupted run
            sid = hashlib.sha1("\n".join(key_of[t] for t in chunk).encode()).hexdigest()[:16]
            shards.append(_Shard(sid, spec, chunk))
        self._shards_total += len(shards)
        if self.progress:
            self.progress(self._shards_done, self._shards_total)
        pending = {s.id for s in shards}
        counts: dict[str, int] = {}
        for t in texts:
            counts[t] = counts.get(t, 0) + 1

        def on_done(shard: _Shard, outputs: list[str]) -> None:
            if shard.id not in pending:  # a shard that came back twice (retried after a transient error)
                self._duplicates += 1
                return
            pending.discard(shard.id)
            pairs = [[key_of[t], o] for t, o in zip(shard.texts, outputs)]
            path = self.out_dir / CHECKPOINT_DIR / sig_key / f"{shard.id}.json"
            atomic_write_text(path, json.dumps({"signature": sig, "outputs": pairs}, ensure_ascii=False))
            for t, o in zip(shard.texts, outputs):
                results[key_of[t]] = o
            self._shards_done += 1
            self._sentences += len(shard.texts)
            if self.progress:
                self.progress(self._shards_done, self._shards_total)
            if progress:
                progress(sum(counts[t] for t in shard.texts))

        if shards:
            self.start()
            self._pump(until=lambda: not pending, queue=shards, on_done=on_done)
        return [results[key_of[t]] for t in texts]

    def _load_checkpoints(self, sig_key: str, sig: str) -> dict[str, str]:
        """Outputs of finished shards of an earlier (interrupted) run with this signature."""
        results: dict[str, str] = {}
        directory = self.out_dir / CHECKPOINT_DIR / sig_key
        self._checkpoint_dirs.add(directory)
        for path in sorted(directory.glob("*.json")) if directory.is_dir() else []:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue  # a damaged checkpoint is decoded again
            if not isinstance(data, dict) or data.get("signature") != sig:
                continue
            pairs = data.get("outputs") or []
            self._shards_resumed += 1
            for pair in pairs:
                if isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair):
                    results[pair[0]] = pair[1]
        return results

    # ------------------------------------------------------------ report

    def summary(self) -> dict[str, object]:
        """The JSON summary: shards, retries, deaths, and per worker its throughput."""
        return {
            "address": self.address,
            "actors": len(self._resources),
            "shards": self._shards_total,
            "shards_done": self._shards_done,
            "shards_resumed": self._shards_resumed,
            "sentences": self._sentences,
            "sentences_resumed": self._sentences_resumed,
            "retried_shards": self._retried,
            "duplicate_results_ignored": self._duplicates,
            "dead_workers": self._deaths,
            "seconds": round(time.perf_counter() - self._started_at, 3) if self._started_at else 0.0,
            "workers": [s.as_dict() for s in self._stats.values()],
        }


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:200]


def cluster_run(address: str, paths: list[str | Path], *, actors: int | None = None, actor_cpus: int | None = None, shard_size: int | None = None, progress: ShardProgress | None = None, notify: Callable[[str], None] = lambda _m: None, **run: Any) -> tuple[Any, dict[str, object]]:
    """``translate_documents(paths, **run)`` decoded on the Ray cluster at ``address``; the run's
    result and the cluster summary (:meth:`RayExecutor.summary`)."""
    from workbench.translate import translate_documents

    out_dir = Path(run.get("out_dir") or "translations")
    with RayExecutor(address, out_dir=out_dir, actors=actors, actor_cpus=actor_cpus, shard_size=shard_size, progress=progress, notify=notify) as executor:
        result = translate_documents(paths, notify=notify, executor=executor, **run)
    summary = executor.summary()
    workers = [w for w in summary["workers"] if w["sentences"]]  # type: ignore[union-attr]
    if summary["shards"]:
        rate = sum(float(w["sentences_per_s"]) for w in workers)  # type: ignore[arg-type, index]
        notify(f"cluster: {summary['shards_done']} shards ({summary['sentences']} sentences) on {len(workers)} workers, {rate:.1f} sentences/s decoding; {summary['dead_workers']} workers died, {summary['retried_shards']} shards retried")
    return result, summary
