"""A small hand-built edition that exercises every part of the model.

Exporter tests use it so they do not depend on the parser's heuristics: two chapters, a
document with every header part, an enclosure, secretary annotations with note markers,
two documents with the same heading, a Russian document, and text full of characters
that markup languages treat specially.
"""
from corresp.model import (ArchiveRef, Chapter, Debris, DocDate, Dispatch, Document, Edition,
                           Enclosure, Footnote, NoteRef, Paragraph, Person, SecretaryAnnotation, Text)

NASTY = "Text with <script>alert(1)</script> & ]]> [1935] #21 *stars* _under_ {braces} \\back $x$ `tick` -- ~"


def p(*parts, line=None):
    content = [Text(text=x) if isinstance(x, str) else NoteRef(number=x) for x in parts]
    return Paragraph(content=content, line=line)


def sample_edition() -> Edition:
    telegram = Document(
        id="1935-08-14-kaganovich-yezhov-to-stalin",
        heading="Kaganovich, Yezhov - Stalin August 14, 1935",
        line=10,
        senders=[Person(name="Kaganovich"), Person(name="Yezhov")],
        recipients=[Person(name="Stalin")],
        date=DocDate(text="August 14, 1935", iso="1935-08-14"),
        archive=[ArchiveRef(text="RGASPI F. 558. Op. 11. D. 88. L. 9. Original. Typescript.",
                            repository="RGASPI", fond="558", opis="11", delo="88", folios="9",
                            form="Original. Typescript.")],
        archive_text="RGASPI F. 558. Op. 11. D. 88. L. 9. Original. Typescript.",
        transmission=[p("Encryption.")],
        dispatch=[Dispatch(content=[Text(text="From Moscow 14/VIII - 35 at 22 o'clock. 57 min. In. No. 2.")],
                           place="Moscow", date="14/VIII - 35", time="22 o'clock. 57 min.", number="2")],
        address=[p("Sochi. Tov. Stalin.")],
        body=[p("We talked to Pyatnitsky and Knorin. 1) We propose to appoint Knorin", 1, "."),
              Enclosure(paragraphs=[p("“Forbid the Zakkraykom to reprint without his sanction.”", 2)]),
              p(NASTY)],
        signature=p("Kaganovich, Yezhov."),
        secretary=[SecretaryAnnotation(content=[Text(text="No. 5.")], number="5"),
                   SecretaryAnnotation(content=[Text(text="17/VIII - 35"), NoteRef(number=3)], date="17/VIII - 35")],
        footnotes=[Footnote(number=1, text="On August 16, 1935, the PB approved V.G. Knorin (RGASPI. F. 17. Op. 3. D. 970. L. 42).",
                            marker="inferred"),
                   Footnote(number=2, text="A note on the enclosure with <b>markup</b> & [brackets] *stars*.", printed_number=2),
                   Footnote(number=3, text="Number, time and date entered by the secretary.", printed_number=4)],
    )
    letter = Document(
        id="1935-08-16-kaganovich-to-stalin",
        heading="Kaganovich to Stalin August 16 [1935]",
        senders=[Person(name="Kaganovich")], recipients=[Person(name="Stalin")],
        date=DocDate(text="August 16 [1935]", iso="1935-08-16", supplied=True),
        dateline=p("16/VIII"),
        salutation=p("Hello, Dear Comrade Stalin!"),
        body=[p("1) In the Odessa region some areas were in a difficult situation."),
              p("2) On the eagles on the towers", 1, ".")],
        signature=p("Yours L. Kaganovich."),
        postscript=[p("P.S. Greetings to our hostess Svetlana!")],
        footnotes=[Footnote(number=1, text="The PB decided on August 22, 1935.", marker="unplaced")],
    )
    same1 = Document(
        id="1935-08-27-stalin-to-molotov-kaganovich",
        heading="Stalin - Molotov, Kaganovich August 27, 1935",
        senders=[Person(name="Stalin")], recipients=[Person(name="Molotov"), Person(name="Kaganovich")],
        date=DocDate(text="August 27, 1935", iso="1935-08-27"),
        body=[p("I have no objections", 1, ".")], signature=p("Stalin."),
        footnotes=[Footnote(number=1, text="The note was handed on August 27, 1935.")],
    )
    same2 = same1.model_copy(update={
        "id": "1935-08-27-stalin-to-molotov-kaganovich-2",
        "requisites": {"Direction": "Government", "Dating": "1935.08.27"},
        "archive": [ArchiveRef(text="RGASPI F. 558. Op. P. D. 88. L. 97. Autograph.", repository="RGASPI",
                               fond="558", opis="P", delo="88", folios="97", form="Autograph.")],
        "body": [p("I do not mind a new version of the answer to the Japanese.")],
        "footnotes": [],
    })
    russian = Document(
        id="1933-08-05-molotov-to-stalin",
        heading="Молотов — Сталину 5 августа 1933 г.",
        senders=[Person(name="Молотов")], recipients=[Person(name="Сталин")],
        date=DocDate(text="5 августа 1933 г.", iso="1933-08-05"),
        archive=[ArchiveRef(text="РГАСПИ Ф. 558. Оп. 11. Д. 767. Л. 1. Подлинник.", repository="РГАСПИ",
                            fond="558", opis="11", delo="767", folios="1", form="Подлинник.")],
        body=[p("Здравствуйте, товарищ Сталин! Ёлки, щи, «кавычки» — тире", 1, ".")],
        signature=p("В. Молотов."),
        footnotes=[Footnote(number=1, text="Примечание: решение ПБ от 7 августа 1933 г.")],
    )
    return Edition(
        title="Stalin and Kaganovich. Correspondence. 1931–1936",
        chapters=[
            Chapter(title="1935 August", source="1935-08.txt",
                    intro=[p("Stalin's vacation in 1935 was again long", 1, ".")],
                    notes=[Footnote(number=1, text="An intro note.")],
                    documents=[telegram, letter, same1, same2],
                    debris=[Debris(line=3, text="Marx-Engels | Lenin | Stalin | Home Page", reason="navigation line")]),
            Chapter(title="1933 Август", source="1933-08-ru.txt", documents=[russian]),
        ],
    )
