"""
What happens in a live room, as plain functions the consumer calls.

They take and return plain data (the event dicts of the live protocol) so
they can be tested without a socket, and they are synchronous: the consumer
runs them through ``database_sync_to_async``.

Split by concern: ``base`` (rights and frame checks), ``chat`` (chat and
moderation), ``room`` (pinning and ``hello``), ``flash`` (flash sales),
``buying`` (立即购买 and order notices), ``figures`` (the console's figures).
"""

from .base import (MAX_CHAT_LENGTH, MAX_CLIENT_ID_LENGTH, RoomError, can_chat, can_moderate,  # noqa: F401
                   display_name, get_session, is_host, require_host, require_moderator, short_text, whole_number)
from .buying import buy, claim_live_price, mask_name, record_order  # noqa: F401
from .chat import (announce, chat_event, check_likes, hide, is_muted, is_rate_limited, mute,  # noqa: F401
                   post_chat, store_likes)
from .figures import figures  # noqa: F401
from .flash import (claim_flash, current_flash, end_flash, expire_flash, flash_end_event, flash_event,  # noqa: F401
                    price_value, start_flash, stop_flash)
from .room import hello_event, pin, pinned_card, product_card, unpin  # noqa: F401
