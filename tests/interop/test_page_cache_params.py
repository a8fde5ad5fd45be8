"""Issue 16.9: the anonymous page cache keeps only the query parameters each page uses, so made-up
query strings neither make new cache entries nor reach the view."""

from __future__ import annotations

import redis
from django.conf import settings
from django.urls import reverse


def _page_keys(url: str) -> int:
    return len(redis.Redis.from_url(url).keys("*public:page:*"))


def test_made_up_query_strings_share_one_cache_entry(client, world, redis_url):
    location = settings.CACHES["default"]["LOCATION"]
    assert location.startswith("redis://")
    home = client.get("/")
    assert home.status_code == 200 and _page_keys(location) == 1
    for n in range(60):
        response = client.get(f"/?x={n}&utm_source={'y' * n}")
        assert response.status_code == 200
        assert response["ETag"] == home["ETag"]
    assert _page_keys(location) == 1


def test_a_parameter_the_page_uses_is_kept_and_others_dropped(client, world, redis_url):
    url = reverse("public:search")
    plain = client.get(url, {"q": "budget"})
    assert client.get(url, {"q": "budget", "junk": "1"})["ETag"] == plain["ETag"]
    assert client.get(url, {"q": "housing"})["ETag"] != plain["ETag"]
    # One value per parameter, however many are sent.
    assert client.get(f"{url}?q=budget&q=other")["ETag"] == plain["ETag"]
