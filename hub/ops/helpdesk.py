"""Online help (Art. 14): a FAQ knowledge base kept by the units, searched in Chinese.

Text is cut into words with `jieba` (search mode, so 司法确认 also yields 司法 and 确认);
punctuation and a short list of function words are dropped; Latin words are lower-cased.
Character bigrams of every Chinese run are added as extra terms (`#不成`), so a query that
jieba cuts differently from the article (不成功 -> 不 / 成功) still meets 调解不成.
Ranking is Okapi BM25 (k1 = 1.5, b = 0.75) over title + tags + body, with the title and the
tags counted three times (a question that names the words asked for is the best answer).
Articles are few (hundreds), so the index is built in memory and rebuilt when an article
is added (the newest `updated_at` and the row count are its version).
The seed (`hub/ops/help_seed.yaml`, ~20 real questions) is loaded by migration 0010.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Any

import jieba
from sqlalchemy import func
from sqlmodel import Session, col, select

from hub import jsonutil
from hub.services.context import HubContext
from hub.services.errors import Conflict, Invalid, NotFound
from hub.services.principal import Principal, Role
from hub.store import audit
from hub.store.models_ops import HelpArticle, HelpArticleVersion
from schemas.text import ascii_int

_NO_ARTICLE = "没有这篇帮助文章 / no such help article"
K1 = 1.5
B = 0.75
TITLE_WEIGHT = 3
MAX_QUERY = 200

STOPWORDS = frozenset(
    [
        "的",
        "了",
        "是",
        "在",
        "和",
        "与",
        "或",
        "吗",
        "呢",
        "吧",
        "啊",
        "么",
        "什么",
        "怎么",
        "怎么办",
        "如何",
        "可以",
        "能",
        "能否",
        "要",
        "会",
        "我",
        "我的",
        "您",
        "你",
        "他",
        "她",
        "它",
        "们",
        "这",
        "那",
        "哪些",
        "哪",
        "有",
        "没有",
        "就",
        "也",
        "都",
        "还",
        "及",
        "等",
        "对",
        "把",
        "被",
        "为",
        "以",
        "之",
        "后",
        "前",
        "时",
        "中",
        "一个",
        "一下",
        "请问",
        "应该",
    ]
)
_WORD = re.compile(r"[\w\u4e00-\u9fff]", re.UNICODE)

jieba.setLogLevel(60)


_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


def tokens(text: str) -> list[str]:
    """jieba words (search mode) plus character bigrams of every Chinese run, so a query
    cut differently from the article (不成功 / 不成) still meets it."""
    out = []
    for t in jieba.lcut_for_search(text):
        t = t.strip().lower()
        if t and _WORD.search(t) and t not in STOPWORDS:
            out.append(t)
    for run in _CJK_RUN.findall(text):
        out += [f"#{run[i : i + 2]}" for i in range(len(run) - 1)]
    return out


@dataclass
class _Doc:
    article: dict[str, Any]
    tf: Counter[str]
    length: int


class _Index:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.version: tuple[Any, ...] = ()
        self.docs: list[_Doc] = []
        self.df: Counter[str] = Counter()
        self.avg = 1.0

    def rebuild(self, articles: list[HelpArticle], version: tuple[Any, ...]) -> None:
        docs = []
        df: Counter[str] = Counter()
        for a in articles:
            body = f"{a.body} {a.body_en or ''}"
            title = f"{a.title} {a.title_en or ''} {' '.join(a.tags or [])}"
            words = tokens(body) + tokens(title) * TITLE_WEIGHT
            tf = Counter(words)
            docs.append(_Doc(_view(a), tf, len(words)))
            df.update(tf.keys())
        self.docs, self.df, self.version = docs, df, version
        self.avg = (sum(d.length for d in docs) / len(docs)) if docs else 1.0

    def search(self, query: list[str], limit: int) -> list[tuple[float, dict[str, Any]]]:
        n = len(self.docs)
        scored = []
        for d in self.docs:
            score = 0.0
            for q in set(query):
                f = d.tf.get(q, 0)
                if not f:
                    continue
                idf = math.log(1 + (n - self.df[q] + 0.5) / (self.df[q] + 0.5))
                score += idf * f * (K1 + 1) / (f + K1 * (1 - B + B * d.length / self.avg))
            if score > 0:
                scored.append((score, d.article))
        scored.sort(key=lambda x: (-x[0], x[1]["id"]))
        return scored[:limit]


_INDEX = _Index()


def _view(a: HelpArticle) -> dict[str, Any]:
    return {
        "id": a.id,
        "title": a.title,
        "body": a.body,
        "title_en": a.title_en,
        "body_en": a.body_en,
        "category": a.category,
        "tags": a.tags or [],
        "version": a.version,
        "author": a.author,
        "updated_at": jsonutil.rfc3339(a.updated_at),
        "retired_at": jsonutil.rfc3339(a.retired_at) if a.retired_at else None,
    }


def _snippet(body: str, query: list[str], width: int = 80) -> str:
    hits = [body.find(q) for q in query if body.find(q) >= 0]
    start = max(0, min(hits) - 20) if hits else 0
    text = body[start : start + width]
    return ("…" if start else "") + text + ("…" if start + width < len(body) else "")


def search(session: Session, q: str, limit: int = 10) -> dict[str, Any]:
    """GET /v1/help?q= (public): ranked answers; without `q`, every article's title."""
    if len(q) > MAX_QUERY:
        raise Invalid.at("/query/q", f"不超过 {MAX_QUERY} 字 / at most {MAX_QUERY} characters")
    # Every edit and retirement adds a version: their sum moves even when the clock does not.
    count, newest, versions = session.exec(
        select(
            func.count(), func.max(HelpArticle.updated_at), func.sum(HelpArticle.version)
        ).select_from(HelpArticle)
    ).one()
    # The database is part of the version: a process (or a test run) that reads two
    # databases must not answer from the other's articles when their counts coincide.
    version = (
        str(session.connection().engine.url),
        count,
        newest,
        versions,
        session.exec(select(func.max(HelpArticle.id))).one(),
    )
    with _INDEX.lock:
        if _INDEX.version != version:
            _INDEX.rebuild(
                list(
                    session.exec(
                        select(HelpArticle)
                        .where(col(HelpArticle.retired_at).is_(None))
                        .order_by(col(HelpArticle.id))
                    )
                ),
                version,
            )
        query = tokens(q)
        if not q.strip():
            results = [(0.0, d.article) for d in _INDEX.docs][:limit]
        else:
            results = _INDEX.search(query, limit)
    return {
        "q": q,
        "tokens": [t for t in query if not t.startswith("#")],
        "results": [
            {
                "id": a["id"],
                "title": a["title"],
                "snippet": _snippet(a["body"], query),
                "body": a["body"],
                "title_en": a["title_en"],
                "body_en": a["body_en"],
                "category": a["category"],
                "tags": a["tags"],
                "score": round(score, 4),
            }
            for score, a in results
        ],
    }


def _actor(principal: Principal) -> str:
    who = principal.party or str(principal.role)
    return f"{who}/{principal.login}" if principal.login else who


def _record_version(
    session: Session, a: HelpArticle, action: str, principal: Principal, at: Any, **detail: Any
) -> None:
    """Keep this version of the article and audit the step (`help.article_<action>`)."""
    assert a.id is not None  # flushed
    session.add(
        HelpArticleVersion(
            article_id=a.id,
            version=a.version,
            title=a.title,
            body=a.body,
            title_en=a.title_en,
            body_en=a.body_en,
            category=a.category,
            tags=list(a.tags or []),
            action=action,
            changed_by=_actor(principal),
            changed_at=at,
        )
    )
    audit.append(
        session,
        chain="help",
        at=at,
        actor_role=principal.role,
        actor_party=principal.party,
        actor_login=principal.login,
        action=f"help.article_{action}",
        detail={"id": a.id, **detail},
    )


def _fill(a: HelpArticle, body: dict[str, Any]) -> None:
    a.title = body["title"].strip()
    a.body = body["body"].strip()
    a.title_en = (body.get("title_en") or "").strip() or None
    a.body_en = (body.get("body_en") or "").strip() or None
    a.category = body.get("category")
    a.tags = list(body.get("tags") or [])


def add_article(
    ctx: HubContext, session: Session, principal: Principal, body: dict[str, Any]
) -> dict[str, Any]:
    """POST /v1/help/articles (role unit, admin)."""
    now = ctx.clock.now()
    article = HelpArticle(
        title="",
        body="",
        author=principal.party or str(principal.role),
        created_at=now,
        updated_at=now,
    )
    _fill(article, body)
    session.add(article)
    session.flush()
    _record_version(session, article, "added", principal, now, title=article.title)
    return {"id": article.id, **_view(article)}


def _own(session: Session, principal: Principal, raw_id: str) -> HelpArticle:
    """The article to change: a unit changes only the articles it wrote, admin any."""
    if not (raw_id.isascii() and raw_id.isdigit() and len(raw_id) <= 12):
        raise NotFound(_NO_ARTICLE)
    a = session.exec(
        select(HelpArticle).where(HelpArticle.id == int(raw_id)).with_for_update()
    ).first()
    if a is None or (principal.role is not Role.ADMIN and a.author != principal.party):
        raise NotFound(_NO_ARTICLE)
    if a.retired_at is not None:
        raise Conflict("该文章已下线 / the article is retired", current_status="retired")
    return a


def edit_article(
    ctx: HubContext, session: Session, principal: Principal, raw_id: str, body: dict[str, Any]
) -> dict[str, Any]:
    """PUT /v1/help/articles/{id}: a new version; the earlier ones are kept."""
    now = ctx.clock.now()
    a = _own(session, principal, raw_id)
    _fill(a, body)
    a.version += 1
    a.updated_at = now
    session.add(a)
    _record_version(session, a, "edited", principal, now, version=a.version)
    return _view(a)


def retire_article(
    ctx: HubContext, session: Session, principal: Principal, raw_id: str
) -> dict[str, Any]:
    """POST /v1/help/articles/{id}/retire: no longer found by citizens; history kept."""
    now = ctx.clock.now()
    a = _own(session, principal, raw_id)
    a.version += 1
    a.retired_at = a.updated_at = now
    session.add(a)
    _record_version(session, a, "retired", principal, now, version=a.version)
    return _view(a)


def article(session: Session, raw_id: str, *, with_history: bool) -> dict[str, Any]:
    """GET /v1/help/articles/{id}: the article (public while published); its versions for
    those who keep the knowledge base."""
    article_id = ascii_int(raw_id)  # 1-18 digits: int() of thousands raises, SQLite overflows
    a = session.get(HelpArticle, article_id) if article_id is not None else None
    if a is None or (a.retired_at is not None and not with_history):
        raise NotFound(_NO_ARTICLE)
    view = _view(a)
    if with_history:
        versions = session.exec(
            select(HelpArticleVersion)
            .where(HelpArticleVersion.article_id == a.id)
            .order_by(col(HelpArticleVersion.version))
        ).all()
        view["versions"] = [
            {
                "version": v.version,
                "action": v.action,
                "title": v.title,
                "body": v.body,
                "title_en": v.title_en,
                "body_en": v.body_en,
                "category": v.category,
                "tags": v.tags,
                "by": v.changed_by,
                "at": jsonutil.rfc3339(v.changed_at),
            }
            for v in versions
        ]
    return view
