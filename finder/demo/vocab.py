"""Words the demo generator draws from: meeting names, venues, streets, times, notes."""

from __future__ import annotations

# (fellowship code, share of meetings)
FELLOWSHIP_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("aa", 0.55),
    ("na", 0.21),
    ("alanon", 0.06),
    ("ca", 0.04),
    ("ha", 0.03),
    ("smart", 0.04),
    ("rd", 0.04),
    ("cr", 0.03),
)

# Meeting names per fellowship: (name, type codes the name implies, time-of-day buckets or
# () for any time). A name only goes to a meeting whose start fits one of its buckets.
AM, NOON, PM, EVE, NIGHT = "morning", "midday", "afternoon", "evening", "night"
NamePool = tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]

NAMES: dict[str, NamePool] = {
    "aa": (
        ("Sunrise Serenity", (), (AM,)),
        ("Early Birds", (), (AM,)),
        ("Eye Openers", (), (AM,)),
        ("On Awakening", ("11",), (AM,)),
        ("Morning Wake Up", (), (AM,)),
        ("Attitude Adjustment", (), (AM,)),
        ("Hair of the Dog", (), (AM,)),
        ("Nooners", (), (NOON,)),
        ("Lunch Bunch", (), (NOON,)),
        ("High Noon", (), (NOON,)),
        ("Park at Four", (), (PM,)),
        ("Happy Hour", (), (EVE,)),
        ("Early Night Out", (), (EVE,)),
        ("Candlelight", ("CAN",), (EVE, NIGHT)),
        ("Night Owls", (), (NIGHT,)),
        ("Midnight Madness", (), (NIGHT,)),
        ("Last Call", (), (NIGHT,)),
        ("Happy Destiny", (), ()),
        ("Grapevine Step Study", ("GR", "ST"), ()),
        ("Women's Big Book", ("W", "B"), ()),
        ("Men's Stag", ("M",), ()),
        ("Keep It Simple", (), ()),
        ("Came to Believe", (), ()),
        ("Into Action", (), ()),
        ("Language of the Heart", (), ()),
        ("Living Sober", ("LS",), ()),
        ("Back to Basics", ("B",), ()),
        ("Design for Living", (), ()),
        ("As Bill Sees It", ("ABSI",), ()),
        ("Daily Reflections", ("DR",), ()),
        ("Twelve and Twelve", ("12x12",), ()),
        ("Young People's Group", ("Y",), (EVE, NIGHT)),
        ("Grupo Nueva Vida", ("S",), (EVE,)),
        ("Grupo Sobriedad", ("S",), (EVE,)),
        ("Rainbow Group", ("LGBTQ",), (EVE,)),
        ("Newcomers Meeting", ("BE",), ()),
        ("Big Book Study", ("B", "ST"), ()),
        ("Tradition Study", ("TR",), ()),
        ("11th Step Meditation", ("11", "MED"), ()),
        ("Sunlight of the Spirit", (), ()),
        ("Stepping Stones", (), ()),
        ("First Things First", (), ()),
        ("Expect a Miracle", (), ()),
        ("Whatever It Takes", (), ()),
        ("Shoulder to Shoulder", (), ()),
        ("There Is a Solution", (), ()),
        ("The Promises", (), ()),
        ("Conscious Contact", ("11",), ()),
        ("Freedom Through the Steps", ("ST",), ()),
        ("Serenity Seekers", (), ()),
    ),
    "na": (
        ("Just for Today", (), ()),
        ("Clean and Serene", (), ()),
        ("Miracles Happen", (), ()),
        ("Recovery in Progress", (), ()),
        ("It Works: How and Why", ("ST",), ()),
        ("Basic Text Study", ("LIT",), ()),
        ("Freedom Group", (), ()),
        ("New Beginnings", ("BE",), ()),
        ("Never Alone", (), ()),
        ("Clean Start", (), (AM,)),
        ("Living Clean", ("LIT",), ()),
        ("Women in Recovery", ("W",), ()),
        ("Men's Step Study", ("M", "ST"), ()),
        ("Nueva Esperanza", ("S",), (EVE,)),
        ("Late Night Clean", (), (NIGHT,)),
        ("Lunch Break", (), (NOON,)),
        ("Hope Without Dope", (), ()),
        ("We Do Recover", (), ()),
    ),
    "ha": (
        ("HA Hope and Freedom", (), ()),
        ("HA Solution Group", (), ()),
        ("HA Big Book Study", ("B",), ()),
        ("Clean and Free HA", (), ()),
    ),
    "ca": (
        ("CA Hope, Faith and Courage", (), ()),
        ("CA Tools of Recovery", (), ()),
        ("CA Freedom Group", (), ()),
        ("CA Big Book Study", ("B",), ()),
    ),
    "smart": (
        ("SMART Recovery", (), ()),
        ("SMART Recovery Family & Friends", (), (EVE,)),
        ("SMART Recovery Tools and Tasks", (), ()),
    ),
    "rd": (
        ("Recovery Dharma", ("MED",), ()),
        ("Recovery Dharma Sangha", ("MED",), ()),
        ("Mindful Recovery", ("MED",), ()),
    ),
    "cr": (
        ("Celebrate Recovery", (), ()),
        ("Celebrate Recovery Step Study", ("ST",), (EVE,)),
    ),
    "alanon": (
        ("Hope for Today", (), ()),
        ("Courage to Change", (), ()),
        ("Serenity Seekers Al-Anon", (), ()),
        ("One Day at a Time Al-Anon", (), ()),
        ("Al-Anon Family Group", (), ()),
        ("Paths to Recovery", ("ST",), ()),
    ),
}

# Share of meetings that are open (the rest closed); fellowships not listed are always open.
OPEN_SHARE = {"aa": 0.7, "na": 0.6, "ca": 0.6, "ha": 0.6, "alanon": 0.5}
# Format codes per fellowship: (code, weight); one is added when the name implies none.
FORMATS: dict[str, tuple[tuple[str, float], ...]] = {
    "aa": (("D", 5), ("SP", 3), ("ST", 2), ("B", 2), ("LIT", 1), ("12x12", 1)),
    "na": (("D", 5), ("SP", 2), ("ST", 2), ("LIT", 2)),
    "ha": (("D", 3), ("ST", 1)),
    "ca": (("D", 3), ("SP", 1)),
    "alanon": (("D", 3), ("LIT", 1)),
    "smart": (("D", 1),),
    "rd": (("D", 1), ("MED", 1)),
    "cr": (("SP", 1),),
}
TWELVE_STEP = ("aa", "na", "ha", "ca", "alanon")

# (start "HH:MM", weight), shaped like a real intergroup list; a few cross midnight.
START_TIMES: tuple[tuple[str, float], ...] = (
    ("06:00", 2), ("06:30", 3), ("07:00", 8), ("07:30", 3), ("08:00", 3), ("09:00", 3),
    ("10:00", 5), ("10:30", 2), ("12:00", 11), ("12:15", 2), ("12:30", 3), ("13:00", 3),
    ("14:00", 1), ("15:00", 2), ("16:00", 2), ("17:00", 2), ("17:30", 5), ("18:00", 7),
    ("18:30", 5), ("19:00", 17), ("19:30", 10), ("20:00", 12), ("20:30", 5), ("21:00", 2),
    ("22:00", 2), ("22:30", 1), ("23:00", 1), ("23:30", 1), ("00:00", 0.5),
)  # fmt: skip
# (days the group meets, weight); 0 = Sunday.
DAY_PATTERNS: tuple[tuple[tuple[int, ...], float], ...] = (
    ((), 60),  # one day, drawn at random
    ((1, 2, 3, 4, 5), 10),
    ((0, 1, 2, 3, 4, 5, 6), 4),
    ((1, 3, 5), 6),
    ((2, 4), 6),
    ((0, 6), 4),
    ((6,), 5),
    ((0,), 5),
)

SAINTS = (
    "St. Mark's", "St. Paul's", "St. John's", "St. Andrew's", "St. Luke's", "St. James",
    "St. Mary's", "St. Peter's", "St. Thomas", "St. Stephen's", "St. Bartholomew's",
    "St. Joseph's", "St. Anne's", "St. Francis",
)  # fmt: skip
DENOMINATIONS = ("Episcopal", "Lutheran", "Catholic", "Methodist")
FIRST_CHURCHES = ("Presbyterian", "Baptist", "United Methodist", "Congregational")
CHURCH_WORDS = (
    "Grace", "Trinity", "Christ", "Good Shepherd", "Holy Cross", "Calvary", "Redeemer",
    "Emmanuel", "Holy Trinity", "Covenant",
)  # fmt: skip
CHURCH_KINDS = ("Episcopal", "Lutheran", "Presbyterian", "Methodist", "Baptist")
# Venue name patterns by kind; {city}, {saint}, {denom}, {first}, {word}, {kind}, {n}, {room}.
VENUES: tuple[tuple[str, float], ...] = (
    ("{saint} {denom} Church", 16),
    ("First {first} Church", 10),
    ("{word} {kind} Church", 12),
    ("Unitarian Universalist Church of {city}", 3),
    ("{city} Community Center", 8),
    ("{city} Senior Center", 3),
    ("{city} Public Library, Community Room", 3),
    ("{city} Recreation Center", 3),
    ("{city} YMCA", 3),
    ("{city} Alano Club", 5),
    ("Serenity Clubhouse", 3),
    ("The {n} Club", 4),
    ("Hope House Recovery Center", 2),
    ("{saint} Medical Center, Conference Room {room}", 4),
    ("{city} General Hospital, Room {n}", 3),
    ("Friends Meeting House", 2),
    ("Temple Beth Shalom", 2),
    ("VFW Post {n}", 2),
    ("American Legion Post {n}", 2),
)
STREETS = (
    "Main St", "Church St", "Oak Ave", "Maple Ave", "Park Ave", "Elm St", "Washington St",
    "Lincoln Ave", "Jefferson Blvd", "Franklin St", "Highland Ave", "Cedar St", "Pine St",
    "Walnut St", "Chestnut St", "Broad St", "Market St", "Union St", "Center St", "Lake St",
    "Hill St", "River Rd", "Spring St", "Grove St", "Madison Ave", "Jackson St", "Prospect Ave",
    "Summit Ave", "Central Ave", "Pleasant St", "Academy St", "College Ave", "Liberty St",
    "Locust St", "Willow St", "Magnolia Ave", "Sycamore St", "Hillside Ave", "Meadow Ln",
    "Orchard St",
)  # fmt: skip
NUMBERED_STREETS = ("W {n}th St", "E {n}th St", "{n}th Ave")
LOCATION_NOTES = (
    "", "", "", "Enter through the side door.", "Downstairs in the fellowship hall.",
    "Second floor; the elevator is by the main entrance.", "Street parking only.",
    "Use the parking lot entrance and follow the signs.", "Room 104, at the end of the hall.",
)  # fmt: skip
MEETING_NOTES = (
    "", "", "", "", "", "Coffee is on 15 minutes before the meeting.",
    "Birthday celebrations on the last meeting of the month.", "Literature available.",
    "Newcomers welcome; stay after for questions.", "Meets outside when the weather is good.",
)  # fmt: skip
ONLINE_NOTES = (
    "Cameras optional.",
    "The waiting room opens 10 minutes early.",
    "Phone callers can unmute with *6.",
)
