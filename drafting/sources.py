"""Candidate sources: turning the noun phrase before or after a reporting verb into a
source, merging mentions of the same one ("Díaz-Canel", "President Miguel Díaz-Canel",
"the Cuban president") and suggesting parents. Pure Python (no Django)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .lexicon import (
    CAPITALS,
    DETERMINERS,
    DOCUMENT_WORDS,
    GROUP_HEADS,
    INSTITUTION_WORDS,
    MEDIA_WORDS,
    ORG_ROLES,
    PERSON_ROLES,
    TITLE_WORDS,
    UNNAMED_DETERMINERS,
    country_of,
)

# Heads of groups that stand beside a country's government, not under it ("Havana's allies").
NOT_UNDER = frozenset(
    ["allies", "critics", "opponents", "supporters", "loyalists", "nations", "governments"]
    + ["families", "relatives", "analysts", "experts", "observers", "protesters"]
)
PRONOUNS = {"he": "person", "she": "person", "they": "plural", "it": "body"}
_POSSESSIVE_SPEECH = re.compile(
    r"^(?P<who>.+?)[’']s?\s+(?:statement|announcement|message|messages|communiqué|report|"
    r"post|letter|remarks|comments|spokesperson|spokesman|spokeswoman)$"
)
_WORD = re.compile(r"[\w’'.-]+")


@dataclass
class Source:
    name: str
    kind: str  # person, institution, media, group, unnamed
    identity: tuple
    country: str | None = None
    title: str = ""
    mentions: list[str] = field(default_factory=list)
    parent: int | None = None
    members: list[int] = field(default_factory=list)
    description: str = ""
    side: str | None = None  # left for the teacher
    context: Counter = field(default_factory=Counter)  # countries near its mentions
    recent_government: int | None = None  # the government last named before it
    organisation: bool = False  # named with a role such as "the plant's owner"


def _tokens(np: str) -> list[str]:
    return _WORD.findall(np)


def _capitalised(tok: str) -> bool:
    return tok[:1].isupper()


class Registry:
    """Every candidate source of one article, in order of first mention."""

    def __init__(self, known_names: dict[str, str] | None = None):
        self.sources: list[Source] = []
        self.redirect: dict[int, int] = {}  # merged sources: index -> the one kept
        self.last_by_type: dict[str, int] = {}
        self.full_names = known_names or {}  # surname -> the fullest mention
        self.known_surnames = set(self.full_names)

    # -- reading a noun phrase -------------------------------------------------------
    def resolve(self, np: str, context: str = "") -> int | None:
        np = np.strip(" ,;:—–-\u2019")
        if not np:
            return None
        m = _POSSESSIVE_SPEECH.match(np)
        if m:
            np = m.group("who")
        affiliation = re.match(r"^(.+?)\s+(?:of|at|from)\s+([A-Z].+)$", np)
        if affiliation:
            head_words = _tokens(affiliation.group(1))
            last_word = head_words[-1] if head_words else ""
            if last_word[:1].isupper() and last_word.lower() not in INSTITUTION_WORDS | MEDIA_WORDS:
                np = affiliation.group(1)  # "Prof. J. R. Mills of Westbrook University"
        low = np.lower()
        if low in PRONOUNS:
            return self._pronoun(PRONOUNS[low])
        toks = _tokens(np)
        if not toks or len(toks) > 12:
            return None
        det = toks[0].lower() if toks[0].lower() in DETERMINERS else ""
        body = toks[1:] if det else toks
        if not body:
            return None
        kind, identity, title, country = self._classify(det, body, np)
        if kind is None:
            return None
        index = self.final(self._find(kind, identity, det, body, country))
        if index is None:
            index = self._create(np, det, kind, identity, title, country)
        else:
            self._add_mention(index, np)
        self.sources[index].context.update(
            c for c in (country_of(w) for w in _tokens(context)) if c
        )
        self._remember(index)
        return index

    def _classify(self, det, body, np):
        words = [t.lower() for t in body]
        countries = [country_of(t, body[i - 1] if i else "") for i, t in enumerate(body)]
        country = next((c for c in countries if c), None)
        rest = [w for w, c in zip(words, countries, strict=True) if not c]
        rest = [re.sub(r"[’']s$", "", w) for w in rest]
        head = " ".join(rest)
        before_of = re.split(r"\b(?:of|for|from|at|in|with)\b", head)[0].split()
        common = GROUP_HEADS | INSTITUTION_WORDS | MEDIA_WORDS | DETERMINERS | {"state"}
        caps = [
            t
            for t, c in zip(body, countries, strict=True)
            if _capitalised(t) and not c and t.lower() not in common
        ]
        last = before_of[-1] if before_of else (rest[-1] if rest else "")
        heads = [w for w in before_of if w in GROUP_HEADS or w in PERSON_ROLES]
        if heads and last not in INSTITUTION_WORDS:
            last = heads[-1]  # "people familiar with the talks" -> people
        if any(w in MEDIA_WORDS for w in rest):
            return "media", ("body", country, head), "", country
        if rest and last in GROUP_HEADS:
            kind = "unnamed" if (det in UNNAMED_DETERMINERS or not caps) else "group"
            if country and det not in UNNAMED_DETERMINERS:
                kind = "group"
            return kind, ("body", country, head), "", country
        if last in PERSON_ROLES and not caps:
            kind = "unnamed" if det in UNNAMED_DETERMINERS else "person"
            return kind, ("role", country, last), "", country
        titled = self._titled_name(body)
        if titled:
            return "person", ("person", titled[1][-1].lower()), titled[0], country
        if any(w in DOCUMENT_WORDS for w in rest[-1:]):
            return "unnamed", ("body", country, head), "", country
        if any(w in INSTITUTION_WORDS for w in rest) or (country and not rest):
            if not rest or (len(body) == 1 and body[0].lower() in CAPITALS):
                head = "government"
            return "institution", ("body", country, head), "", country
        if det and not caps:
            if last in PERSON_ROLES or last in TITLE_WORDS:
                return "person", ("role", country, last), "", country
            return None, None, "", None
        if not caps:
            return None, None, "", None
        # A name, perhaps with a title: "Defence Minister Vladimir Padrino".
        split = 0
        for i, t in enumerate(body):
            if t.lower() in TITLE_WORDS:
                split = i + 1
        title = " ".join(body[:split])
        name = body[split:]
        if not name:
            return "person", ("role", country, body[-1].lower()), title, country
        known = self.known_surnames | {
            s.identity[-1] for s in self.sources if s.identity[0] == "person"
        }
        if len(name) == 1 and not title and name[0].lower() not in known:
            # One capitalised word: an organisation ("Reuters") unless a person's surname.
            return "institution", ("body", country, name[0].lower()), "", country
        return "person", ("person", name[-1].lower()), title, country

    @staticmethod
    def _titled_name(body: list[str]) -> tuple[str, list[str]] | None:
        """ "Union leader Grace Mbeki" -> ("Union leader", ["Grace", "Mbeki"]): capitalised
        names after the last title word make a person, whatever the title's words."""
        split = max((i + 1 for i, t in enumerate(body) if t.lower() in TITLE_WORDS), default=0)
        name = body[split:]
        if not split or not name or not all(_capitalised(t) for t in name):
            return None
        if any(t.lower() in INSTITUTION_WORDS | MEDIA_WORDS | GROUP_HEADS for t in name):
            return None
        return " ".join(body[:split]), name

    def _find(self, kind, identity, det, body, country) -> int | None:
        for i in range(len(self.sources) - 1, -1, -1):
            s = self.sources[i]
            if s.identity == identity:
                return i
        if identity[0] == "role":
            # "the Cuban president": the latest person with that title, from that country.
            role = identity[2]
            people = [
                i
                for i, s in enumerate(self.sources)
                if s.kind == "person" and role in s.title.lower().split()
            ]
            if country:
                near = [i for i in people if self.sources[i].context.get(country)]
                people = near or []
            return people[-1] if people else None
        if det == "the" and identity[0] == "body" and identity[2] in ORG_ROLES:
            # "the company": the latest organisation introduced by such a role
            for i in range(len(self.sources) - 1, -1, -1):
                if self.sources[i].organisation:
                    return i
        if identity[0] == "body" and identity[1] is None and det == "the":
            # "the government": the latest body with that head, whatever its country.
            for i in range(len(self.sources) - 1, -1, -1):
                s = self.sources[i]
                if s.identity[0] == "body" and s.identity[2] == identity[2]:
                    return i
        return None

    def _create(self, np, det, kind, identity, title, country) -> int:
        name = np[0].upper() + np[1:]
        if kind == "person" and identity[0] == "person" and len(_tokens(np)) == 1:
            name = self.full_names.get(identity[1], name)  # "Raman" -> "Priya Raman"
        recent = next(
            (
                i
                for i in range(len(self.sources) - 1, -1, -1)
                if self.sources[i].identity[0] == "body"
                and self.sources[i].identity[2] == "government"
            ),
            None,
        )
        self.sources.append(
            Source(name=name, kind=kind, identity=identity, title=title, country=country,
                   recent_government=recent)
        )  # fmt: skip
        self.sources[-1].mentions.append(np)
        return len(self.sources) - 1

    def _add_mention(self, index: int, np: str) -> None:
        s = self.sources[index]
        s.mentions.append(np)
        if s.kind != "person":
            s.name = self._body_name(s)
            return
        if s.kind == "person" and len(_tokens(np)) > len(_tokens(s.name)) and np[:1].isupper():
            s.name = np  # the fullest mention: title and full name
            toks = _tokens(np)
            split = max((i + 1 for i, t in enumerate(toks) if t.lower() in TITLE_WORDS), default=0)
            s.title = " ".join(toks[:split]) or s.title

    @staticmethod
    def _body_name(s: Source) -> str:
        """A body's name: its first mention that names what it is ("Cuba's government"
        rather than "Havana" or "the government"), with a capital it goes by."""

        def informative(m):
            words = [w.lower() for w in _tokens(m)]
            return len(words) > 1 and not (len(words) == 2 and words[0] in DETERMINERS)

        best = next((m for m in s.mentions if informative(m)), s.mentions[0])
        capitals = [m for m in s.mentions if m.lower() in CAPITALS]
        name = best[0].upper() + best[1:]
        if capitals and capitals[0].lower() != best.lower():
            name += f" ({capitals[0]})"
        return name

    def _remember(self, index: int) -> None:
        s = self.sources[index]
        plural = s.kind in ("group", "unnamed") or s.identity[-1].endswith("s")
        self.last_by_type["person" if s.kind == "person" else "body"] = index
        if plural:
            self.last_by_type["plural"] = index
        self.last_by_type["any"] = index

    def _pronoun(self, wanted: str) -> int | None:
        index = self.last_by_type.get(wanted)
        if index is None and wanted == "plural":
            index = self.last_by_type.get("body")
        return index

    # -- after reading the whole article ---------------------------------------------
    def suggest_parents(self) -> None:
        """A person or body under the body it speaks for: a member named with
        "including" under its group; a titled person under the office or government of
        the country of its mentions; a country's other bodies under its government."""
        governments = {
            s.country: i
            for i, s in enumerate(self.sources)
            if s.kind == "institution" and s.identity[2] == "government" and s.country
        }
        for i, s in enumerate(self.sources):
            if s.parent is not None:
                continue
            country = s.country
            if country is None and s.kind == "person" and s.context:
                country = s.context.most_common(1)[0][0]
            if s.kind == "person" and s.title:
                stem = s.title.split()[-1].lower()[:6]
                offices = [
                    j
                    for j, o in enumerate(self.sources)
                    if j != i
                    and o.kind == "institution"
                    and o.country == country
                    and any(w.startswith(stem) for w in o.identity[2].split())
                ]
                if offices:
                    s.parent = offices[0]
                    continue
            gov = governments.get(country)
            bare = s.identity[-1] in ("officials", "authorities", "spokesperson", "sources")
            if gov is None and country is None and s.kind in ("group", "unnamed") and bare:
                gov = s.recent_government  # "Officials" after "Cuba's government said"
            is_government = s.kind == "institution" and s.identity[2] == "government"
            coordinated = " and " in s.name
            outside = s.identity[-1].split()[-1:] and s.identity[-1].split()[-1] in NOT_UNDER
            if gov is not None and gov != i and not (is_government or coordinated or outside):
                s.parent = gov
        self._break_cycles()

    def _break_cycles(self) -> None:
        for s in self.sources:
            seen, p = set(), s.parent
            while p is not None:
                if p in seen or self.sources[p] is s:
                    s.parent = None
                    break
                seen.add(p)
                p = self.sources[p].parent

    def unknown(self) -> int:
        """The one stand-in for quotations whose speaker the draft could not find."""
        for i, s in enumerate(self.sources):
            if s.kind == "unknown":
                return i
        self.sources.append(
            Source(name="A speaker the draft could not identify", kind="unknown",
                   identity=("unknown",), description="Check who says these words.")
        )  # fmt: skip
        return len(self.sources) - 1

    def name_role(self, index: int, role_np: str) -> None:
        """ "The plant's owner, Vireo Fabrics": a name given a company's role is an
        organisation, and "the company" later means it."""
        words = [w.lower() for w in _tokens(role_np)]
        if words and words[-1] in ORG_ROLES:
            s = self.sources[index]
            s.kind, s.organisation = "institution", True
            s.identity = ("body", s.country, s.name.lower())
            return
        self.merge_role(index, role_np)

    def merge_role(self, person: int, role_np: str) -> None:
        """ "The chairman, Victor Lang, said": an earlier "the port authority's chairman"
        is Victor Lang; later mentions of "the chairman" resolve to him too."""
        words = [w.lower() for w in _tokens(role_np)]
        head = words[-1] if words else ""
        if head not in PERSON_ROLES:
            return
        target = self.sources[person]
        if head not in target.title.lower().split():
            target.title = (target.title + " " + head).strip()
        for i, s in enumerate(self.sources):
            if i != person and s.identity[0] == "role" and s.identity[-1] == head:
                self.redirect[i] = person
                target.mentions += s.mentions

    def compact(self) -> dict[int, int]:
        """Drop merged sources; returns old index -> new index for every old index."""
        kept = [i for i in range(len(self.sources)) if i not in self.redirect]
        new = {old: n for n, old in enumerate(kept)}
        mapping = {i: new[self.final(i)] for i in range(len(self.sources))}
        sources = [self.sources[i] for i in kept]
        for s in sources:
            s.parent = mapping[s.parent] if s.parent is not None else None
            if s.parent is not None and sources[s.parent] is s:
                s.parent = None
            s.members = sorted({mapping[m] for m in s.members})
        self.sources, self.redirect = sources, {}
        self.last_by_type = {k: mapping[v] for k, v in self.last_by_type.items()}
        return mapping

    def final(self, index: int | None) -> int | None:
        while index is not None and index in self.redirect:
            index = self.redirect[index]
        return index

    def add_member(self, group: int, member: int) -> None:
        if group != member and member not in self.sources[group].members:
            self.sources[group].members.append(member)
            if self.sources[member].parent is None:
                self.sources[member].parent = group
