"""!jouet / !toy: says hello; `!jouet sonner N` rings the room in N minutes (a job)."""
from datetime import timedelta

from handlers.core.arguments import Number
from handlers.core.commands import command
from handlers.core.interface import Effect, Notice
from handlers.core.jobs import Job
from handlers.core.router import Invocation
from handlers.core.services import Services
from tests.unit.toy_capability.texts import TEXTS

RING = "toy.ring"


@command("toy", fr="jouet", en="toy", line="hello")
async def toy(inv: Invocation) -> None:
    inv.reply("toy.hello")


@toy.sub("sonner", "ring", args=[Number("minutes", invalid="toy.bad_minutes", sample="5")])
async def ring_in(inv: Invocation, minutes: int) -> None:
    when = inv.services.clock.now() + timedelta(minutes=minutes)
    inv.services.scheduler.schedule(f"toy:{inv.msg.room_id}", when, RING, {"room_id": inv.msg.room_id})
    inv.reply("toy.planned", minutes=minutes)


async def ring(job: Job, services: Services) -> list[Effect]:
    room = await services.store.rooms.get(job.payload["room_id"])
    lang, _ = services.language_and_zone(room)
    return [Notice(job.payload["room_id"], TEXTS.t(lang, "toy.ring"))]
