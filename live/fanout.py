"""
Fan-out of room events: one subscription per room per server process.

A broadcast used to be one ``group_send`` that the channel layer copied to
every viewer's channel; at a thousand viewers that collapses. Here each server
process keeps one ``RoomHub`` per room that has viewers in that process. The
hub is the process's only member of the room's group, so a broadcast costs one
channel-layer message per process. Events that arrive while the hub is still
writing the previous frame are coalesced into the next ``batch`` frame, which
is JSON-encoded once and written to every local socket: the busier the room,
the bigger the batches, and an idle room adds no delay.

The hubs of one room also tell each other how many viewers they hold
(``hub.count``), so the periodic ``stats`` show the whole room across
processes, and they write the likes counted here to the database once a tick.
"""

import asyncio
import json
import logging
import uuid
import weakref

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings

from . import services

logger = logging.getLogger(__name__)


# Events only the host, moderators and staff receive (the console's business figures).
STAFF_ONLY = {"figures"}
CLOSE_TOO_SLOW = 4408  # a viewer dropped for not keeping up with the room (it reconnects)


def room_group(session_id):
    return f"live.{session_id}"


def encode(events):
    """One text frame for a list of events: the event itself, or a ``batch``."""
    payload = events[0] if len(events) == 1 else {"type": "batch", "events": events}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


async def broadcast(session_id, *events):
    """Send events to everyone in a room, in every process."""
    await get_channel_layer().group_send(room_group(session_id), {"type": "room.events", "events": list(events)})


async def recheck_rights(session_id):
    """Someone's rights in a room changed: every process re-checks its staff sockets now."""
    await get_channel_layer().group_send(room_group(session_id), {"type": "room.rights"})


class RoomHub:
    """This process's viewers of one room."""

    def __init__(self, session_id):
        self.session_id = session_id
        self.group = room_group(session_id)
        self.layer = get_channel_layer()
        self.id = uuid.uuid4().hex
        self.sockets = set()
        self.pending = []
        self.wakeup = asyncio.Event()
        self.peers = {}  # other hubs of this room: hub id -> (viewers, when heard)
        self.likes_to_store = 0
        self.like_budget = {}  # user id -> (second, likes taken in it)
        self.likes = None
        self.last_stats = None
        self.tasks = []
        self.ready = asyncio.ensure_future(self.start())

    async def start(self):
        self.channel = await self.layer.new_channel("live-hub.")
        await self.layer.group_add(self.group, self.channel)
        self.tasks = [asyncio.ensure_future(job()) for job in (self.listen, self.flush, self.tick)]
        await self.layer.group_send(self.group, self.count_message())

    async def stop(self):
        await asyncio.shield(self.ready)
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        await self.layer.group_discard(self.group, self.channel)
        if self.likes_to_store:
            await database_sync_to_async(services.store_likes)(self.session_id, self.likes_to_store)
        await self.layer.group_send(self.group, {"type": "hub.gone", "hub": self.id})

    # -- viewers ---------------------------------------------------------------

    @property
    def viewers(self):
        """Viewers of the room in every process (as last heard from the others)."""
        now = asyncio.get_running_loop().time()
        horizon = 3 * settings.LIVE_STATS_INTERVAL
        others = sum(n for hub, (n, heard) in self.peers.items() if hub != self.id and now - heard < horizon)
        return len(self.sockets) + others

    def count_message(self):
        return {"type": "hub.count", "hub": self.id, "viewers": len(self.sockets)}

    def add_likes(self, user_id, count):
        """Count a user's likes, at most LIVE_LIKES_PER_SECOND a second; return how many were taken."""
        second = int(asyncio.get_running_loop().time())
        last_second, taken = self.like_budget.get(user_id, (second, 0))
        if last_second != second:
            taken = 0
        allowed = max(0, min(count, settings.LIVE_LIKES_PER_SECOND - taken))
        self.like_budget[user_id] = (second, taken + allowed)
        self.likes_to_store += allowed
        return allowed

    async def recheck_rights(self):
        """Sockets that lost the host's or a moderator's rights stop getting staff-only events."""
        for socket in [s for s in self.sockets if s.is_staff]:
            try:
                await socket.recheck_rights()
            except Exception:
                logger.exception("live room %s: could not re-check a viewer's rights", self.session_id)

    # -- the three loops ----------------------------------------------------------

    async def listen(self):
        """Take room messages off the channel layer."""
        while True:
            try:
                message = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:  # e.g. Redis went away: keep listening once it is back
                logger.exception("live room %s: channel layer receive failed", self.session_id)
                await asyncio.sleep(1)
                continue
            kind = message.get("type")
            if kind == "room.events":
                self.push(*message["events"])
            elif kind == "hub.count" and message["hub"] != self.id:
                self.peers[message["hub"]] = (message["viewers"], asyncio.get_running_loop().time())
            elif kind == "hub.gone":
                self.peers.pop(message["hub"], None)
            elif kind == "room.rights":
                await self.recheck_rights()

    def push(self, *events):
        self.pending.extend(events)
        self.wakeup.set()

    async def flush(self):
        """Write pending events to every local socket: one encoding per batch.

        A quiet room's event goes out at once. In a busy room frames leave at most once a window,
        each carrying everything that came in meanwhile. The window widens with the room's size
        and load: it is LIVE_FANOUT_WINDOW, or LIVE_FANOUT_LOAD times as long as the last pass
        over the sockets took (up to LIVE_FANOUT_MAX_WINDOW), so writing never takes more than
        about 1/LIVE_FANOUT_LOAD of the process's time, however many viewers it holds.
        """
        loop = asyncio.get_running_loop()
        last, window = 0.0, settings.LIVE_FANOUT_WINDOW
        while True:
            await self.wakeup.wait()
            wait = last + window - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            last = loop.time()
            self.wakeup.clear()
            events, self.pending = self.pending, []
            try:
                public = [event for event in events if event["type"] not in STAFF_ONLY]
                frames = {False: public and encode(public), True: encode(events)}
            except (TypeError, ValueError, KeyError):
                logger.exception("live room %s: dropped events that cannot be encoded", self.session_id)
                continue
            if await self.write(frames):  # a pass spent waiting on a stuck socket says nothing of the load
                continue
            took = loop.time() - last
            window = min(settings.LIVE_FANOUT_MAX_WINDOW,
                         max(settings.LIVE_FANOUT_WINDOW, settings.LIVE_FANOUT_LOAD * took))

    async def write(self, frames):
        """Write a frame to every local socket. A write normally completes at once; one that waits
        longer than LIVE_SEND_TIMEOUT (a viewer whose connection cannot take more) is given up, its
        socket dropped from the room and closed — it reconnects and gets the history — so one slow
        viewer never holds up the others. One timer for the whole pass, moved on as it goes.
        Returns how many sockets were dropped.

        The ASGI message is built once per frame and handed to each socket's ``base_send`` (the
        server's send, through the session middleware), skipping the consumer's per-call wrapping.
        """
        loop = asyncio.get_running_loop()
        limit = settings.LIVE_SEND_TIMEOUT
        messages = {staff: frame and {"type": "websocket.send", "text": frame} for staff, frame in frames.items()}
        sockets = [socket for socket in self.sockets if frames[socket.is_staff]]
        done = dropped = 0
        while done < len(sockets):
            try:
                async with asyncio.timeout(limit) as timer:
                    while done < len(sockets):
                        socket = sockets[done]
                        if timer.when() - loop.time() < limit / 2:
                            timer.reschedule(loop.time() + limit)
                        try:
                            await socket.base_send(messages[socket.is_staff])
                        except Exception:  # a socket that went away mid-write leaves on its own
                            logger.debug("could not write to a viewer's socket", exc_info=True)
                        done += 1
            except TimeoutError:
                self.drop(sockets[done])
                done += 1
                dropped += 1
        return dropped

    def drop(self, socket):
        """A viewer too slow to keep up: out of the room's sockets now, closed in the background."""
        self.sockets.discard(socket)
        logger.info("live room %s: dropped a viewer that could not keep up", self.session_id)
        close = asyncio.ensure_future(socket.close(code=CLOSE_TOO_SLOW))
        close.add_done_callback(lambda task: task.cancelled() or task.exception())

    async def tick(self):
        """Every interval: store likes, tell the other hubs our count, send ``stats`` if they changed."""
        while True:
            await asyncio.sleep(settings.LIVE_STATS_INTERVAL)
            try:
                likes, self.likes_to_store = self.likes_to_store, 0
                self.likes = await database_sync_to_async(services.store_likes)(self.session_id, likes)
                await self.layer.group_send(self.group, self.count_message())
                await self.recheck_rights()
                second = int(asyncio.get_running_loop().time())
                self.like_budget = {user: used for user, used in self.like_budget.items() if used[0] == second}
                ended = await database_sync_to_async(services.expire_flash)(self.session_id)
                if ended:
                    await broadcast(self.session_id, *ended)
                stats = {"type": "stats", "viewers": self.viewers, "likes": self.likes}
                if stats != self.last_stats:
                    self.last_stats = stats
                    self.push(stats)
            except Exception:
                logger.exception("live room %s: stats tick failed", self.session_id)


# One registry per event loop: tests run each in its own loop, a server has one.
_hubs = weakref.WeakKeyDictionary()


async def join(session_id, socket):
    """Add a consumer to its room's hub in this process, starting the hub if needed."""
    hubs = _hubs.setdefault(asyncio.get_running_loop(), {})
    hub = hubs.get(session_id)
    if hub is None:
        hub = hubs[session_id] = RoomHub(session_id)
    try:
        await asyncio.shield(hub.ready)
    except Exception:
        # a hub that could not start (the channel layer was down) must not stay registered and
        # fail every later join: forget it, so the next viewer starts a fresh one
        if hubs.get(session_id) is hub:
            del hubs[session_id]
        raise
    if hubs.get(session_id) is not hub:  # it emptied and stopped while we waited: start anew
        return await join(session_id, socket)
    hub.sockets.add(socket)
    return hub


async def leave(hub, socket):
    hub.sockets.discard(socket)
    hubs = _hubs.get(asyncio.get_running_loop(), {})
    if not hub.sockets and hubs.get(hub.session_id) is hub:
        del hubs[hub.session_id]
        await hub.stop()
