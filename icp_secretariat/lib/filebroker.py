"""The demo's embedded Celery broker: kombu's filesystem transport, each message written whole
before it can be taken.

kombu's own `_put` creates the message file under its final name and then writes it, while a
worker's `_get` takes any file of that name at once (it moves the file, which no lock stops).
A worker that took a file between the two read it empty, failed to decode it and stopped: the
demo's worker died and `make run` shut down (seen in the demo with the machine busy). Here a
message is written under a name no worker takes and renamed into place when complete (a rename
within one folder is atomic), so a worker finds each message whole or not at all.

Used through the `icpfile://` broker URL (registered in `icp_secretariat.celery`).
"""

from __future__ import annotations

import os
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

ALIAS = "icpfile"


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        name = f"{int(round(monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        # Starts with a dot: `_get` takes only "<n>_<id>.<queue>.msg".
        partial = os.path.join(self.data_folder_out, f".{name}.part")
        try:
            with open(partial, "wb") as f:
                f.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel
