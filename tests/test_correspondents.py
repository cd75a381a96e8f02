"""The index of correspondents, built once for every format."""
from conftest import FIXTURES
from corresp.correspondents import correspondents, index_title
from corresp.model import Chapter, Document, Edition, Person
from corresp.readers.text.parser import read_edition


def test_seed_correspondents_in_alphabetical_order_with_their_documents(seed_edition):
    entries = {e.name: e for e in correspondents(seed_edition)}
    assert list(entries) == ["Kaganovich", "Manuilsky", "Molotov", "Stalin", "Voroshilov", "Yezhov"]
    for doc in seed_edition.documents:
        for person in doc.senders:
            assert doc in entries[person.name].documents and doc.id in entries[person.name].wrote
        for person in doc.recipients:
            assert doc in entries[person.name].documents
    order = [d.id for d in seed_edition.documents]
    for entry in entries.values():  # in the order of the edition, each once
        ids = [d.id for d in entry.documents]
        assert ids == sorted(set(ids), key=order.index)


def test_russian_recipients_in_the_dative_are_filed_under_their_name():
    edition, _ = read_edition([FIXTURES / "ru-1933-08.txt"])
    entries = correspondents(edition)
    assert [e.name for e in entries] == ["Молотов", "Сталин"]  # "Сталину", "Молотову" joined
    assert all(len(e.documents) == 2 and len(e.wrote) == 1 for e in entries)
    assert index_title(edition.language) == "Указатель корреспондентов"


def test_a_name_is_not_merged_without_a_sender_of_that_name():
    doc = Document(id="d1", heading="Сталин — Бухарину 1 мая 1933 г.", senders=[Person(name="Сталин")],
                   recipients=[Person(name="Бухарину")])
    edition = Edition(title="T", language="ru", chapters=[Chapter(title="C", documents=[doc])])
    assert [e.name for e in correspondents(edition)] == ["Бухарину", "Сталин"]


def test_bodies_are_filed_without_their_article():
    docs = [Document(id=f"d{i}", heading="h", senders=[Person(name="Stalin")], recipients=[Person(name=r)])
            for i, r in enumerate(["the Politburo", "Molotov", "members of the Central Committee"])]
    edition = Edition(title="T", chapters=[Chapter(title="C", documents=docs)])
    assert [e.name for e in correspondents(edition)] == [
        "members of the Central Committee", "Molotov", "the Politburo", "Stalin"]
