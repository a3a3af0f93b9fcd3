"""Settings for the Cổng Dịch vụ công portal, all read from the environment, one module per concern.

Every value has an embedded default that runs the portal on one machine with nothing
else installed (SQLite, in-process tasks, e-mail to files, private local storage);
production sets the variables documented in `.env.example`.

The concerns are read in this order (a later one may use an earlier one's values); with DEBUG off, the
secrets each one read are judged last, all at once (security.unsafe_defaults; portal.startup refuses to start).
"""

from .base import *  # noqa: F401,F403
from .security import *  # noqa: F401,F403
from .accounts import *  # noqa: F401,F403
from .database import *  # noqa: F401,F403
from .storage import *  # noqa: F401,F403
from .email import *  # noqa: F401,F403
from .payments import *  # noqa: F401,F403
from .notices import *  # noqa: F401,F403
from .national_login import *  # noqa: F401,F403
from .catalogue import *  # noqa: F401,F403
from .dossiers import *  # noqa: F401,F403
from .appointments import *  # noqa: F401,F403
from .signatures import *  # noqa: F401,F403
from .national_sync import *  # noqa: F401,F403
from .api import *  # noqa: F401,F403
from .tasks import *  # noqa: F401,F403
from .logging import *  # noqa: F401,F403
from .security import unsafe_defaults

# The variables production must set and has not (portal.startup refuses to start on them).
UNSAFE_DEFAULTS = unsafe_defaults(DATABASES)  # noqa: F405
