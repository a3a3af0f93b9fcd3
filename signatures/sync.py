"""pyHanko's synchronous calls start their own event loop (asyncio.run): from a thread that already runs one (an
ASGI server, Playwright's test thread) they are made from a worker thread instead."""

import asyncio
from concurrent.futures import ThreadPoolExecutor


def outside_event_loop(function, /, *args, **kwargs):
    """Call `function` here, or in a worker thread when this thread runs an event loop; return its result."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()
