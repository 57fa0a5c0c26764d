"""The server's object graph, built from Settings: no module-level state anywhere else."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine

from server.boards.note_tree import NoteTree
from server.boards.records import StoredBoard
from server.boards.registry import RoomRegistry
from server.boards.room import board_note_trees
from server.boards.templates.library import DEFAULT_TEMPLATES_DIR, Template, load_templates
from server.metrics import Metrics
from server.processes import HEAVY_INPUT_BYTES, Workers
from server.ratelimit import KeyedLimiter
from server.realtime.handlers import Realtime
from server.realtime.identities import Identities
from server.realtime.merge_window import MergeWindow
from server.realtime.outbox import SocketOutbox
from server.realtime.redis_bus import RedisBus
from server.realtime.socket_server import SocketServer
from server.settings import Settings
from server.storage.archive_writer import ArchiveWriter
from server.storage.board_store import BoardStore
from server.storage.engine import create_engine
from server.storage.faults import FaultKind, StorageFault, storage_fault
from server.storage.health import StorageHealth
from server.storage.history_store import HistoryStore
from server.storage.identity_keys import IdentityKeyStore
from server.storage.image_store import ImageStore
from server.storage.schema import migrate
from server.storage.template_store import TemplateStore
from server.storage.trash_store import TrashStore
from server.storage.workshop_store import WorkshopStore
from server.storage.writer import UpdateWriter

# The newest versions of a board's history, kept as they are whatever the thinning.
_NEWEST_VERSIONS_KEPT = 10


@dataclass(slots=True)
class Services:
    settings: Settings
    engine: AsyncEngine
    store: BoardStore
    writer: UpdateWriter
    registry: RoomRegistry
    realtime: Realtime
    templates: dict[str, Template]
    template_store: TemplateStore
    creation_limiter: KeyedLimiter
    join_limiter: KeyedLimiter
    # Failed board-token checks (server/http/inputs.py): guessing is slowed, success is not.
    token_failure_limiter: KeyedLimiter
    # Who a participant is (the credentials the server issued), for the HTTP API too.
    identities: Identities
    # Deleted notes and versions: what the rooms keep, and where the API reads it.
    archive: ArchiveWriter
    # Workshops: boards grouped behind one join code (docs/protocol.md section 2.10).
    workshop_store: WorkshopStore
    # The pictures of image notes, and how often an address may send one.
    images: ImageStore
    image_limiter: KeyedLimiter
    # Set when ARDOISE_REDIS_URL is: the processes serving the same boards talk through it.
    bus: RedisBus | None = None
    # Reads of big boards (JSON view, exports), off the event loop.
    workers: Workers = field(default_factory=lambda: Workers(processes=1))
    # What `GET /metrics` reports (docs/deployment.md, Monitoring).
    metrics: Metrics = field(default_factory=Metrics)

    @classmethod
    def build(cls, settings: Settings, sio: SocketServer) -> Services:
        workers = Workers(processes=1)
        metrics = Metrics()

        async def read_trees(stored: StoredBoard) -> dict[str, NoteTree]:
            if stored.size > HEAVY_INPUT_BYTES:
                return await workers.run(True, board_note_trees, stored)
            return await asyncio.to_thread(board_note_trees, stored)

        engine = create_engine(
            settings.resolved_database_url, settings.sqlite_sync, settings.storage_timeout_s
        )
        store = BoardStore(engine, settings.loop_commit_share, settings.sqlite_sync)
        writer = UpdateWriter(store, settings.compact_after_updates, metrics)
        bus = RedisBus(settings.redis_url) if settings.redis_url else None
        archive = ArchiveWriter(
            TrashStore(engine, settings.trash_max_notes),
            HistoryStore(
                engine,
                settings.history_max_versions,
                settings.history_max_bytes,
                keep_newest=_NEWEST_VERSIONS_KEPT,
            ),
            settings.history_interval_s,
        )
        registry = RoomRegistry(
            store,
            writer,
            lambda board_id: SocketOutbox(
                sio,
                board_id,
                sio.delivery,
                MergeWindow(settings.merge_window_s, settings.merge_from_deliveries_per_s),
                metrics,
            ),
            settings.limits,
            settings.unload_delay_s,
            bus,
            read_trees,
            archive,
        )
        token_failures = KeyedLimiter(settings.token_failures_per_minute)
        identities = Identities(IdentityKeyStore(engine), settings.new_participants_per_minute)
        realtime = Realtime(
            sio,
            store,
            registry,
            settings.limits,
            settings.connects_per_minute,
            sio.delivery,
            identities,
            token_failures,
            settings.storage_timeout_s,
            metrics,
        )
        metrics.read_when_asked(
            lambda: registry.room_count,
            lambda: realtime.connection_count,
            lambda: store.health.fault is None,
        )
        templates = load_templates(settings.templates_dir or DEFAULT_TEMPLATES_DIR)
        return cls(
            settings=settings,
            engine=engine,
            store=store,
            writer=writer,
            registry=registry,
            realtime=realtime,
            templates=templates,
            template_store=TemplateStore(engine, templates),
            creation_limiter=KeyedLimiter(settings.creations_per_minute),
            join_limiter=KeyedLimiter(settings.join_lookups_per_minute),
            token_failure_limiter=token_failures,
            identities=identities,
            archive=archive,
            workshop_store=WorkshopStore(engine),
            images=ImageStore(engine, settings.max_board_image_bytes),
            image_limiter=KeyedLimiter(settings.image_uploads_per_minute),
            bus=bus,
            workers=workers,
            metrics=metrics,
        )

    async def start(self) -> None:
        await migrate(self.engine)
        if self.bus is not None:
            await self.bus.start()
        self.writer.start()
        self.metrics.start()

    async def stop(self) -> None:
        """Store every accepted update before the process ends."""
        await self.realtime.close()
        await self.writer.close()
        await self.registry.close()
        # After the rooms: an unloading room keeps its last changes as a version.
        await self.archive.close()
        await self.workers.close()
        if self.bus is not None:
            await self.bus.close()
        await self.metrics.stop()
        await self.store.close()
        await self.engine.dispose()

    @property
    def storage_health(self) -> StorageHealth:
        return self.store.health

    async def storage_fault(self) -> StorageFault | None:
        """What is wrong with storage: what is known, else what a read of the tables meets
        within the storage timeout (which is then known: writes are refused until it works)."""
        health = self.store.health
        if health.fault is not None:
            return health.fault
        try:
            async with asyncio.timeout(self.settings.storage_timeout_s):
                await self.store.check()
        except TimeoutError:
            health.failed(StorageFault(FaultKind.UNREACHABLE))
        except Exception as exc:
            fault = storage_fault(exc)
            if fault is None:
                raise
            health.failed(fault)
        return health.fault
