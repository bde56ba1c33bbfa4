"""bench/scale_seed.py, which goal 5's figures rest on: it plans as many reminders as the scale asks, through the
real job store, and stops there (round 17's store keeps no id of the jobs beyond the hour: the seeding counted
those ids, never reached its figure and planned every open action's reminders — 10 jobs reported, minutes
spent)."""
from sqlalchemy import func, select

from bench.scale_seed import Plan, seed
from storage import open_store
from storage.actions import Action
from storage.jobs import apscheduler_jobs

ACTIONS = Action.__table__


async def test_the_seed_plans_the_jobs_its_scale_asks_for_and_stops(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path}/scale.db"
    result = await seed(url, scale=0.02)
    wanted = Plan.at(0.02).jobs
    store = await open_store(url)
    try:
        async with store.session() as s:
            in_table = (await s.execute(select(func.count()).select_from(apscheduler_jobs))).scalar_one()
            open_actions = (await s.execute(select(func.count()).select_from(ACTIONS).where(
                ACTIONS.c.status == "open"))).scalar_one()
    finally:
        await store.close()
    assert result["jobs"] == in_table
    assert wanted <= in_table <= wanted + 250 * 3, (wanted, in_table)  # counted every 250 actions
    assert in_table < 2 * open_actions  # not every open action's reminders

