"""The four forums, their organisations, seats, chairs and standard agenda items, exactly
as ../shared/MANDATES.md reads the terms of reference (2010). Used by the data migration
and, in tests that flush the database, to lay the same ground again. Idempotent."""

from datetime import date

ORGANISATIONS = [
    # (short name, name, kind, parent short name)
    ("BR", "Borgerrepræsentationen", "political_body", None),
    ("ØKF", "Økonomiforvaltningen", "administration", None),
    ("BIF", "Beskæftigelses- og Integrationsforvaltningen", "administration", None),
    ("TMF", "Teknik- og Miljøforvaltningen", "administration", None),
    ("SUF", "Sundheds- og Omsorgsforvaltningen", "administration", None),
    ("KFF", "Kultur- og Fritidsforvaltningen", "administration", None),
    ("SOF", "Socialforvaltningen", "administration", None),
    ("BUF", "Børne- og Ungdomsforvaltningen", "administration", None),
    ("CfB", "Center for Bydesign", "unit", "TMF"),
    ("BL 1. kreds", "Boligselskabernes Landsforening, 1. kreds", "housing_federation", None),
    ("LLO", "Lejernes Landsorganisation", "tenants_organisation", None),
]

# The seven mayoral offices, in the source's order, with the administration each heads.
MAYORS = [
    ("Overborgmester", "ØKF"),
    ("Teknik- og miljøborgmester", "TMF"),
    ("Kultur- og fritidsborgmester", "KFF"),
    ("Sundheds- og omsorgsborgmester", "SUF"),
    ("Børne- og ungdomsborgmester", "BUF"),
    ("Socialborgmester", "SOF"),
    ("Beskæftigelses- og integrationsborgmester", "BIF"),
]
ADMINISTRATIONS = ["ØKF", "BIF", "TMF", "SUF", "KFF", "SOF", "BUF"]

# forums.models.PersonLevel, as plain numbers (the data migrations use historical models).
HEAD_OF_OFFICE, MAYOR = 20, 50

COMPETENCE_NOT_OVERRIDING = (
    "Beslutninger i {name} tilsidesætter ikke den politiske beslutningsproces i kommunen "
    "og boligorganisationerne."
)

FORUMS = [
    {
        "slug": "borgmesterforum",
        "name": "Borgmesterforum",
        "position": 1,
        "level": "political",
        "purpose": (
            "Borgmesterforum skal bidrage til realiseringen af Borgerrepræsentationens mål om "
            "»én fælles indgang til kommunen« på politisk niveau. Forummet skal forbedre "
            "samarbejdet mellem forvaltningerne og styrke den politiske forankring af arbejdet "
            "med de almene boligorganisationer og de områdebaserede indsatser."
        ),
        "tasks": "\n".join(
            [
                "Være et kommunalt politisk forum, der kan gå i dialog med den almene boligsektor "
                "på politisk niveau om en fælles strategi for boligområderne.",
                "Forberede en 4-årig politisk hovedaftale med den almene sektor om styring, "
                "samarbejde og udvikling af de almene boligområder og de områdebaserede indsatser.",
                "Sørge for en løbende evaluering af hovedaftalen, og at den fornys hvert 4. år.",
                "Skabe enighed om, hvilke bydele der skal omfattes af kommende områdebaserede "
                "indsatser, og tilrettelægge arbejdet med dem.",
                "Sikre en entydig kommunal strategi for og fælles prioritering af indsatserne i "
                "forhold til den almene sektor og de områdebaserede indsatser.",
            ]
        ),
        "competence": (
            "Borgmesterforums beslutninger er bindende for forvaltningerne i den forstand, at de "
            "forpligtes til at arbejde for at fremme forummets beslutninger. Forummet har ikke "
            "råderet over egne midler. Beslutninger i Borgmesterforum tilsidesætter ikke den "
            "politiske beslutningsproces i kommunen og boligorganisationerne."
        ),
        "meetings_per_year_min": 2,
        "meetings_per_year_max": 2,
        "meetings_note": "2 møder om året på Rådhuset",
        "default_place": "Rådhuset",
        "notice_months": None,
        "required_quarter": None,
        "proposal_deadline_days": None,
        "agenda_deadline_days": 14,
        "minutes_deadline_days": 7,
        "comment_window_days": 14,
        "agenda_public": False,
        "approved_minutes_public": False,
        "proposers": "secretariat",
        "proposers_note": (
            "Dagsordenen fastlægges på baggrund af drøftelser i Den Tværkommunale Styregruppe "
            "og Samarbejdsforum."
        ),
        "item_requires_responsible": False,
        "sets_up_theme_groups": False,
        "chair_note": "Delt formandskab mellem overborgmesteren og teknik- og miljøborgmesteren.",
        "first_meeting": date(2010, 9, 1),
        "first_meeting_note": "september 2010",
        "standard_items": [
            ("Afrapportering fra Den Tværkommunale Styregruppe", False),
            ("Status på implementering af hovedaftalen", False),
            ("Områdefornyelse og andre områdebaserede indsatser", False),
            ("Emner til drøftelse i Partnerskabsforum", True),
            ("Næste møde", False),
            ("Eventuelt", False),
        ],
    },
    {
        "slug": "partnerskabsforum",
        "name": "Partnerskabsforum",
        "position": 2,
        "level": "political",
        "purpose": (
            "Partnerskabsforum skal bidrage til realiseringen af målet om »én fælles indgang til "
            "kommunen« på politisk niveau og sikre en enstrenget dialog mellem Københavns Kommune "
            "og den almene boligsektor. Forummet er platformen for den politiske dialog mellem "
            "politikerne i de almene boligorganisationer og Borgerrepræsentationens medlemmer."
        ),
        "tasks": "\n".join(
            [
                "Drøfte fælles målsætninger for det kommunale og almene engagement i de almene "
                "boligområder med henblik på en 4-årig hovedaftale mellem BR og BL's 1. kreds.",
                "Drøfte tendenser og udvikling i kommunens almene boligområder for at kunne evaluere "
                "og justere den politiske hovedaftale.",
                "Drøfte, i hvilke områder der er behov for fælles styringsdialogmøder med de almene "
                "boligorganisationer og afdelinger.",
                "Drøfte behovet for og samarbejdet om det områdebaserede arbejde i udsatte dele af "
                "byen, herunder helhedsplaner og områdefornyelser.",
                "Drøfte tilvejebringelsen af økonomiske midler i relation til hovedaftalens "
                "politiske prioriteringer.",
                "Sikre, at beslutninger i Partnerskabsforum bringes ud til fagforvaltningerne og de "
                "almene boligorganisationer.",
            ]
        ),
        "competence": COMPETENCE_NOT_OVERRIDING.format(name="Partnerskabsforum"),
        "meetings_per_year_min": 1,
        "meetings_per_year_max": 1,
        "meetings_note": "1 møde om året i 2. kvartal, indkaldt med mindst 4 måneders varsel",
        "default_place": "Rådhuset",
        "notice_months": 4,
        "required_quarter": 2,
        "proposal_deadline_days": 21,
        "agenda_deadline_days": 14,
        "minutes_deadline_days": 7,
        "comment_window_days": 14,
        "agenda_public": True,
        "approved_minutes_public": True,
        "proposers": "members",
        "proposers_note": "Forslag til dagsordenen indhentes fra medlemmerne.",
        "item_requires_responsible": False,
        "sets_up_theme_groups": False,
        "chair_note": "Delt formandskab mellem overborgmesteren og teknik- og miljøborgmesteren.",
        "includes": "borgmesterforum",
        "includes_note": "Fra Københavns Kommune deltager de 7 borgmestre, svarende til Borgmesterforum.",
        "first_meeting": date(2010, 9, 1),
        "first_meeting_note": "primo september 2010",
        "standard_items": [
            (
                "Status på elementerne i hovedaftalen og beslutning om justering af hovedaftalens "
                "politiske prioriteringer",
                True,
            ),
            ("De områdebaserede indsatser i relation til de almene boligområder", True),
            ("Eventuelt", False),
        ],
    },
    {
        "slug": "tvaerkommunal-styregruppe",
        "name": "Den Tværkommunale Styregruppe",
        "position": 3,
        "level": "leading_administrative",
        "purpose": (
            "Den Tværkommunale Styregruppe skal bidrage til målet om »én fælles indgang til "
            "kommunen« på ledende administrativt niveau, styrke samarbejdet og koordineringen på "
            "tværs af forvaltningerne og være det samlende bindeled til de øvrige fora og de "
            "nedsatte temagrupper. Styregruppen udgør kommunens repræsentation i Samarbejdsforum."
        ),
        "tasks": "\n".join(
            [
                "Afklare interne snitflader, holdninger og arbejdsdeling forvaltningerne imellem.",
                "Nedsætte temagrupper til behandling af aktuelle temaer, fx udlejning, "
                "fremtidssikring, tryghed og trivsel.",
                "Drøfte oplæg til behandling i Samarbejdsforum, Borgmesterforum og "
                "Partnerskabsforum.",
                "Sikre gensidig orientering, dialog og samarbejde om emner, der berører kommunens "
                "relationer til indsatserne i almene boligområder.",
                "Sikre, at hovedaftalens mål konkretiseres i delaftaler mellem forvaltningerne og "
                "de enkelte boligorganisationer.",
                "Sikre samarbejdet og drøfte strategi, værktøjer og principper for de "
                "områdebaserede indsatser.",
                "Behandle øvrige emner, der indebærer tværkommunalt samarbejde om de almene områder "
                "og tilsynet med den almene boligsektor.",
            ]
        ),
        "competence": COMPETENCE_NOT_OVERRIDING.format(name="Den Tværkommunale Styregruppe"),
        "meetings_per_year_min": 6,
        "meetings_per_year_max": 10,
        "meetings_note": "ca. 6-10 møder om året, alt efter behov",
        "default_place": "Teknik- og Miljøforvaltningen, Center for Bydesign",
        "notice_months": None,
        "required_quarter": None,
        "proposal_deadline_days": None,
        "agenda_deadline_days": 7,
        "minutes_deadline_days": 7,
        "comment_window_days": 14,
        "agenda_public": False,
        "approved_minutes_public": False,
        "proposers": "administrations",
        "proposers_note": (
            "Samtlige forvaltninger kan bringe spørgsmål på dagsordenen. Hver forvaltning "
            "koordinerer punkterne internt forud for drøftelserne."
        ),
        "item_requires_responsible": True,
        "sets_up_theme_groups": True,
        "chair_note": "Formandskabet varetages som udgangspunkt af Teknik- og Miljøforvaltningen, "
        "Center for Bydesign.",
        "chair_organisation": "CfB",
        "first_meeting": date(2010, 8, 1),
        "first_meeting_note": "august 2010",
        "standard_items": [
            ("Eventuelt", False),
        ],
    },
    {
        "slug": "samarbejdsforum",
        "name": "Samarbejdsforum",
        "position": 4,
        "level": "administrative",
        "purpose": (
            "Samarbejdsforum skal bidrage til målet om »én fælles indgang til kommunen« på "
            "administrativt niveau, sikre en enstrenget dialog mellem kommunen og den almene "
            "boligsektor og være det forum, hvor de fælles administrative beslutninger træffes."
        ),
        "tasks": "\n".join(
            [
                "Behandle de opgaver og temaer, som fastlægges i den politiske hovedaftale, og "
                "konkretisere målene inden for disse temaer.",
                "Forberede delaftaler mellem kommunen og boligorganisationerne, fx om boligsocial "
                "anvisning, fremtidssikring, boligsocial indsats, områdebaserede indsatser og "
                "rammerne for fleksibel udlejning.",
                "Udarbejde oplæg til Partnerskabsforum om justering af opgaver, temaer, mål og "
                "rammer i hovedaftalen.",
                "Nedsætte temagrupper og følge de faste temagrupper.",
                "Sikre et tæt samarbejde om kommunens boligsociale anvisning og strategien for "
                "udlejning af de almene boliger.",
                "Sikre samarbejde og koordinering om de kommunale indsatser og boligorganisationernes "
                "boligsociale arbejde og områdebaserede indsatser.",
                "Have en koordinerende rolle i den årlige styringsdialog på områdeniveau.",
            ]
        ),
        "competence": (
            "Samarbejdsforum fastlægger rammerne for de styregrupper og arbejdsgrupper, der skal "
            "sikre tæt samarbejde i områdebaserede indsatser, og kan efter bemyndigelse fra BR "
            "råde over økonomiske puljer til bestemte formål. "
            + COMPETENCE_NOT_OVERRIDING.format(name="Samarbejdsforum")
        ),
        "meetings_per_year_min": 4,
        "meetings_per_year_max": 6,
        "meetings_note": "4-6 møder om året",
        "default_place": "Teknik- og Miljøforvaltningen, Center for Bydesign",
        "notice_months": None,
        "required_quarter": None,
        "proposal_deadline_days": 21,
        "agenda_deadline_days": 14,
        "minutes_deadline_days": 7,
        "comment_window_days": 14,
        "agenda_public": False,
        "approved_minutes_public": False,
        "proposers": "members",
        "proposers_note": (
            "Samtlige medlemmer kan bringe spørgsmål på dagsordenen. Forvaltningerne og "
            "boligorganisationerne koordinerer punkterne internt forud for drøftelsen."
        ),
        "item_requires_responsible": True,
        "sets_up_theme_groups": True,
        "chair_note": "Formandskabet varetages som udgangspunkt af Teknik- og Miljøforvaltningen, "
        "Center for Bydesign; ordførerskabet følger ressortfordelingen mellem "
        "forvaltningerne.",
        "chair_organisation": "CfB",
        "includes": "tvaerkommunal-styregruppe",
        "includes_note": "Kommunen er repræsenteret ved Den Tværkommunale Styregruppe.",
        "first_meeting": date(2010, 8, 1),
        "first_meeting_note": "august 2010",
        "standard_items": [
            ("Eventuelt", False),
        ],
    },
]


def seats_for(slug: str) -> list[dict]:
    if slug == "borgmesterforum":
        return [
            {
                "title": title,
                "organisation": org,
                "max_holders": 1,
                "max_substitutes": 0,
                "requirement": "borgmesteren for forvaltningen",
                "holder_of_organisation": True,
                "holder_min_level": MAYOR,
            }
            for title, org in MAYORS
        ]
    if slug == "partnerskabsforum":
        return [
            {
                "title": "Repræsentanter udpeget af BL 1. kreds",
                "organisation": "BL 1. kreds",
                "max_holders": 7,
                "max_substitutes": 7,
                "requirement": "op til 7 repræsentanter",
            }
        ]
    if slug == "tvaerkommunal-styregruppe":
        return [
            {
                "title": f"Repræsentant for {org}",
                "organisation": org,
                "max_holders": 1,
                "max_substitutes": 1,
                "requirement": "kontorchef eller højere",
                "holder_of_organisation": True,
                "holder_min_level": HEAD_OF_OFFICE,
            }
            for org in ADMINISTRATIONS
        ]
    return [
        {
            "title": "Medlemmer udpeget af BL 1. kreds",
            "organisation": "BL 1. kreds",
            "max_holders": 8,
            "max_substitutes": 8,
            "requirement": "ledende administrativt niveau",
            "holder_of_organisation": True,
        },
        {
            "title": "Repræsentant udpeget af LLO",
            "organisation": "LLO",
            "max_holders": 1,
            "max_substitutes": 1,
            "holder_of_organisation": True,
        },
    ]


# Items that run the meeting rather than treat a matter: no responsible administration.
PROCEDURAL_TITLES = ("Godkendelse af dagsorden", "Meddelelser", "Næste møde", "Eventuelt")


def mark_procedural_items(apps) -> None:
    """Flag the forums' procedural standard items (StandardAgendaItem.is_procedural)."""
    StandardAgendaItem = apps.get_model("forums", "StandardAgendaItem")
    StandardAgendaItem.objects.filter(title__in=PROCEDURAL_TITLES).update(is_procedural=True)


def seed_forums(apps) -> None:
    Organisation = apps.get_model("forums", "Organisation")
    Forum = apps.get_model("forums", "Forum")
    Seat = apps.get_model("forums", "Seat")
    StandardAgendaItem = apps.get_model("forums", "StandardAgendaItem")

    orgs = {}
    for short, name, kind, parent in ORGANISATIONS:
        org, _ = Organisation.objects.update_or_create(
            short_name=short, defaults={"name": name, "kind": kind, "parent": orgs.get(parent)}
        )
        orgs[short] = org

    forums = {}
    for spec in FORUMS:
        spec = dict(spec)
        standard_items = spec.pop("standard_items")
        includes = spec.pop("includes", None)
        chair_org = spec.pop("chair_organisation", None)
        spec["secretariat"] = orgs["CfB"]
        spec["chair_organisation"] = orgs.get(chair_org)
        spec["includes_members_of"] = forums.get(includes)
        forum, _ = Forum.objects.update_or_create(slug=spec.pop("slug"), defaults=spec)
        forums[forum.slug] = forum
        has_holder_rule = any(f.name == "holder_min_level" for f in Seat._meta.get_fields())
        for position, seat in enumerate(seats_for(forum.slug), start=1):
            seat = dict(seat)
            if not has_holder_rule:  # the migrations before seats stated their holders
                seat.pop("holder_of_organisation", None)
                seat.pop("holder_min_level", None)
            seat["organisation"] = orgs[seat["organisation"]]
            Seat.objects.update_or_create(
                forum=forum, title=seat.pop("title"), defaults={**seat, "position": position}
            )
        for position, (title, required) in enumerate(standard_items, start=1):
            StandardAgendaItem.objects.update_or_create(
                forum=forum, position=position, defaults={"title": title, "required": required}
            )

    forums["borgmesterforum"].agenda_set_from.set(
        [forums["tvaerkommunal-styregruppe"], forums["samarbejdsforum"]]
    )
    chair_seats = Seat.objects.filter(
        forum=forums["borgmesterforum"],
        title__in=["Overborgmester", "Teknik- og miljøborgmester"],
    )
    forums["borgmesterforum"].chair_seats.set(chair_seats)
    forums["partnerskabsforum"].chair_seats.set(chair_seats)
    if any(f.name == "is_procedural" for f in StandardAgendaItem._meta.get_fields()):
        mark_procedural_items(apps)


def set_seat_holder_rules(apps) -> None:
    """Write each seat's holder requirement (issue 10 §3) onto the seats already there."""
    Seat = apps.get_model("forums", "Seat")
    for slug in [spec["slug"] for spec in FORUMS]:
        for spec in seats_for(slug):
            Seat.objects.filter(forum__slug=slug, title=spec["title"]).update(
                requirement=spec.get("requirement", ""),
                holder_of_organisation=spec.get("holder_of_organisation", False),
                holder_min_level=spec.get("holder_min_level"),
            )
