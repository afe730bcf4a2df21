"""The HTTP benchmark's data set: N news items, 3,000 press contacts and 19,000 projects on
PostgreSQL, plus a signed-in superuser's session.

Usage (from the project root, PostgreSQL running; bench/serving.py runs it for each size):

    .venv/bin/python bench/dataset.py --count 100000 \\
        --database-url postgres://postgres@127.0.0.1:5432/bench_100k [--reuse]

Without ``--reuse`` the database is made again: at 1,000,000 items a copy of
``iomcms_base_1m`` when that database exists (``CREATE DATABASE ... TEMPLATE``; the template is
never modified: loading 1,000,000 items takes many minutes, copying them one or two), otherwise
bench/search.py's generator (COPY) with bench/lists.py's contacts and publication states (2%
drafts, 1% scheduled, 1% expired). ``--reuse`` keeps a database that holds the data already.
Either way it then runs ``migrate`` (so a reused database gets the migrations merged since),
removes what a previous run's ``import_legacy`` added, loads the projects if they are missing,
runs ANALYZE and creates a superuser with a session. It prints one JSON line: what the pages
of bench/serving.py need (a detail URL, the last list page, the session key) and the counts.

The session is signed with ``DJANGO_SECRET_KEY``: run it with the environment of the server
that will read the session (bench/serving.py does).
"""

import argparse
import datetime
import json
import math
import os
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

from common import reset_database  # bench/common.py (the script's folder is on sys.path)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PROJECTS = 19000
CONTACTS = 3000
# Sizes with a loaded database to copy (/work/helper-common.md: never modify these).
TEMPLATES = {1_000_000: "iomcms_base_1m"}
ADMIN_USERNAME = "bench-admin"


def admin_url(database_url, name):
    return database_url.rsplit("/", 1)[0] + "/" + name


def database_exists(database_url):
    import psycopg

    name = urlparse(database_url).path.lstrip("/")
    with psycopg.connect(admin_url(database_url, "postgres"), autocommit=True) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    return row is not None


def copy_template(database_url, template, *, wait=600):
    """Re-create the database as a copy of ``template``; PostgreSQL refuses while anyone is
    connected to the template, so retry for up to ``wait`` seconds."""
    import psycopg

    name = urlparse(database_url).path.lstrip("/")
    deadline = time.monotonic() + wait
    with psycopg.connect(admin_url(database_url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        while True:
            try:
                conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
                return
            except psycopg.errors.ObjectInUse:
                if time.monotonic() > deadline:
                    raise
                time.sleep(5)


def setup_django(database_url):
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iomcms.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load_news(count, seed):
    import lists
    import search
    from django.db import connection
    from django.utils import timezone

    with connection.cursor() as cursor:  # in SQL: the ORM would write history row by row
        cursor.execute("DELETE FROM news_newsitemcontact")
        cursor.execute("DELETE FROM news_newsitem")
    search.load(count, seed)
    lists.load_contacts(CONTACTS)
    lists.mark_states(timezone.now())


def remove_imported():
    """Delete what ``import_legacy`` added in a previous run (bench/serving.py's mixed run under
    an import), so that every run imports the same files into the same data."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM news_newsitemcontact WHERE news_item_id IN "
            "(SELECT id FROM news_newsitem WHERE legacy_key <> '')"
        )
        cursor.execute("DELETE FROM news_newsitem WHERE legacy_key <> ''")
        removed = cursor.rowcount
        cursor.execute("DELETE FROM projects_project WHERE source_file <> ''")
        removed += cursor.rowcount
        cursor.execute(
            "DELETE FROM contacts_contact c WHERE c.slug NOT LIKE 'press-officer-%%' "
            "AND NOT EXISTS (SELECT 1 FROM news_newsitemcontact l WHERE l.contact_id = c.id)"
        )
        removed += cursor.rowcount
        if removed:
            cursor.execute("VACUUM ANALYZE news_newsitem")
    return removed


def load_projects(count, seed):
    """``count`` published projects (one in 40 featured) with types, regions, countries and
    a few paragraphs each, in bulk (the search trigger fills their search document)."""
    import search
    from django.db import connection

    from projects.models import Coverage, Project, ProjectStatus, ProjectType, Region

    rng = random.Random(seed)
    words, weights = search.vocabulary(rng)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM projects_project")
    types = [
        ProjectType.objects.get_or_create(slug=f"bench-type-{n}", defaults={"name": name})[0]
        for n, name in enumerate(
            ["Emergency response", "Labour mobility", "Migration health", "Counter-trafficking",
             "Border management", "Return and reintegration", "Climate and environment",
             "Data and research"]
        )
    ]  # fmt: skip
    regions = [
        Region.objects.get_or_create(slug=f"bench-region-{n}", defaults={"name": f"Region {n}"})[0]
        for n in range(7)
    ]
    statuses = list(ProjectStatus.values)
    coverages = list(Coverage.values)
    batch = []
    for n in range(1, count + 1):
        year = rng.randint(1995, 2026)
        paragraphs = "".join(
            f"<p>{search.sentence(rng, words, weights, rng.randint(30, 80))}</p>"
            for _ in range(rng.randint(2, 5))
        )
        batch.append(
            Project(
                title=search.sentence(rng, words, weights, rng.randint(5, 10))[:-1][:300],
                slug=f"bench-project-{n}",
                project_code=f"BENCH-{n:05d}",
                status=rng.choice(statuses),
                project_type=rng.choice(types),
                start=str(year),
                end=str(min(year + rng.randint(0, 4), 2030)),
                year=year,
                budget_usd=rng.randint(10, 5000) * 1000,
                coverage=rng.choice(coverages),
                region=rng.choice(regions),
                benefiting_states=rng.sample(search.COUNTRIES, rng.randint(1, 3)),
                summary=search.sentence(rng, words, weights, rng.randint(20, 40)),
                description=paragraphs,
                featured=n % 40 == 0,
                publication_status="published",
            )
        )
        if len(batch) == 2000:
            Project.objects.bulk_create(batch)
            batch = []
    Project.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE projects_project")


def admin_session():
    """A superuser (no password: it never signs in) and a live session for it."""
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    user, created = get_user_model().objects.update_or_create(
        username=ADMIN_USERNAME,
        defaults={"is_staff": True, "is_superuser": True, "is_active": True},
    )
    if created:  # once only: a new password would sign out the sessions of other runs
        user.set_unusable_password()
        user.save()
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.set_expiry(datetime.timedelta(days=1))
    session.save()
    return session.session_key


def summary():
    from django.conf import settings
    from django.db import connection

    from contacts.models import Contact
    from news.models import NewsItem
    from news.views import NewsItemListView
    from projects.models import Project

    public = NewsItem.objects.published()
    public_count = public.count()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (server_version,) = cursor.fetchone()
    return {
        "news": NewsItem.objects.count(),
        "public_news": public_count,
        "projects": Project.objects.count(),
        "contacts": Contact.objects.count(),
        "detail_url": public.order_by("pk")[public_count // 2].get_absolute_url(),
        "last_page": max(1, math.ceil(public_count / NewsItemListView.paginate_by)),
        "session_cookie": f"{settings.SESSION_COOKIE_NAME}={admin_session()}",
        "postgresql": server_version.split()[0],
    }


def prepare(database_url, count, *, reuse, seed=1):
    """Make ``database_url`` hold the data set for ``count`` news items; return summary()."""
    started = time.perf_counter()
    fresh = not reuse or not database_exists(database_url)
    template = TEMPLATES.get(count)
    if template and not database_exists(admin_url(database_url, template)):
        template = None
    if fresh and template:
        copy_template(database_url, template)
    elif fresh:
        reset_database(database_url)
    setup_django(database_url)
    from news.models import NewsItem
    from projects.models import Project

    if not template and (fresh or NewsItem.objects.filter(legacy_key="").count() != count):
        load_news(count, seed)
    remove_imported()
    if Project.objects.filter(project_code__startswith="BENCH-").count() != PROJECTS:
        load_projects(PROJECTS, seed)
    return {**summary(), "prepared_seconds": round(time.perf_counter() - started)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true", help="Keep a loaded database.")
    args = parser.parse_args()
    print(json.dumps(prepare(args.database_url, args.count, reuse=args.reuse, seed=args.seed)))


if __name__ == "__main__":
    main()
