"""Who the archive knows, for recognising people as they are typed."""

from __future__ import annotations

from dataclasses import dataclass, field

from facilitate.text import name_key


@dataclass
class Known:
    """A person as the directory offers them."""

    id: str
    name: str
    organisation: str = ""
    meetings: int = 0
    last_seen: str = ""


@dataclass
class PeopleDirectory:
    """Known people, looked up by name as the facilitator types."""

    people: list[Known] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_key: dict[str, list[Known]] = {}
        for person in self.people:
            self._by_key.setdefault(name_key(person.name), []).append(person)

    def add(self, person: Known) -> None:
        self.people.append(person)
        self._by_key.setdefault(name_key(person.name), []).append(person)

    def exact(self, name: str, organisation: str = "") -> Known | None:
        """The known person with this name; with namesakes, the one from `organisation`, else the most regular."""
        matches = self._by_key.get(name_key(name), [])
        if not matches:
            return None
        if organisation:
            org = name_key(organisation)
            for person in matches:
                if name_key(person.organisation) == org:
                    return person
        return max(matches, key=lambda p: (p.meetings, p.last_seen))

    def suggest(self, prefix: str, limit: int = 6, exclude: set[str] | None = None) -> list[Known]:
        """People whose name, or any word of it, starts with what was typed; regulars first."""
        key = name_key(prefix)
        if not key:
            return []
        exclude = exclude or set()
        scored = []
        for person in self.people:
            if person.id in exclude:
                continue
            full = name_key(person.name)
            if full.startswith(key):
                rank = 0
            elif any(word.startswith(key) for word in full.split()):
                rank = 1
            else:
                continue
            scored.append((rank, -person.meetings, full, person))
        scored.sort(key=lambda entry: entry[:3])
        return [entry[3] for entry in scored[:limit]]
