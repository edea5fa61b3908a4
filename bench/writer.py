"""A writer beside the load: organizer edits every second, a re-import-sized batch every fifth.

`python -m bench.writer URL SECONDS` edits through the app's own sessions, so every write
goes through the change log as a real one does: one meeting's notes each second, and every
fifth second 500 meetings' notes in one transaction (what an unchanged re-import that
touches a region writes). Prints how many writes it made.
"""

from __future__ import annotations

import random
import sys
import time

from sqlalchemy import func, select


def main(database_url: str, seconds: float) -> int:
    from finder import create_app
    from finder.db import new_session
    from finder.models import Meeting

    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "bench", "SEARCH_INDEX": "off"})
    rng = random.Random(7)
    writes = 0
    with app.app_context():
        session = new_session()
        top = int(session.scalar(select(func.max(Meeting.id))) or 0)
        stop = time.monotonic() + seconds
        tick = 0
        while time.monotonic() < stop:
            began = time.monotonic()
            tick += 1
            count = 500 if tick % 5 == 0 else 1
            ids = [rng.randint(1, top) for _ in range(count)]
            for meeting in session.scalars(select(Meeting).where(Meeting.id.in_(ids))):
                meeting.notes = f"edited {tick}"
            session.commit()
            writes += 1
            time.sleep(max(0.0, 1.0 - (time.monotonic() - began)))
        session.close()
    print(writes)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], float(sys.argv[2])))
