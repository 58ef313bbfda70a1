"""Invented but plausible words for the demo organisation: names, places, titles.

Nothing here describes real people or a real company. Phone numbers for the
UK offices come from Ofcom's ranges reserved for drama, so they ring nobody.
"""

FIRST_NAMES = {
    "SE": (
        "Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Sara", "Anders", "Emma", "Per",
        "Elin", "Magnus", "Linnea", "Mikael", "Ingrid", "Oskar", "Maja", "Henrik", "Klara",
        "Fredrik", "Ebba", "Gustav", "Sofia", "Nils", "Astrid", "Viktor", "Frida", "Axel",
        "Hanna", "Olof", "Matilda", "Jonas", "Ida", "Björn", "Agnes", "Stina", "Mats", "Lova",
    ),
    "NO": (
        "Ola", "Kari", "Ingrid", "Sindre", "Marte", "Håkon", "Silje", "Eirik", "Ragnhild",
        "Torbjørn", "Solveig", "Øystein", "Hedda", "Sigurd", "Tuva", "Knut", "Ane", "Vegard",
        "Synnøve", "Espen", "Ingvild", "Trond", "Live", "Geir", "Åse", "Magne", "Thea",
        "Jørgen", "Marit", "Halvor", "Sunniva", "Arne", "Guro", "Stian", "Birgit", "Audun",
    ),
    "GB": (
        "Oliver", "Amelia", "George", "Olivia", "Harry", "Isla", "Jack", "Emily", "Charlie",
        "Sophie", "Thomas", "Grace", "James", "Lucy", "William", "Chloe", "Daniel", "Ella",
        "Samuel", "Hannah", "Joseph", "Alice", "Henry", "Freya", "Edward", "Ruby", "Priya",
        "Arjun", "Aisha", "Omar", "Fiona", "Callum", "Niamh", "Rhys", "Siobhan", "Kwame",
    ),
}  # fmt: skip

LAST_NAMES = {
    "SE": (
        "Lindqvist", "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson",
        "Olsson", "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Lindberg",
        "Lindström", "Bergström", "Sandberg", "Holm", "Forsberg", "Sjöberg", "Wallin",
        "Engström", "Ekström", "Lundgren", "Hedlund", "Åberg", "Nyström", "Björk", "Falk",
        "Sundqvist", "Lindholm", "Axelsson", "Berglund", "Strand", "Öberg", "Dahl",
    ),
    "NO": (
        "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen",
        "Jensen", "Karlsen", "Haugen", "Halvorsen", "Bakken", "Solberg", "Berg", "Moen",
        "Strand", "Hagen", "Lie", "Eide", "Dahl", "Lunde", "Aas", "Sæther", "Rønning", "Nygård",
        "Løvås", "Fjeld", "Myhre", "Vik", "Brekke", "Tangen", "Sandvik", "Aune", "Grønli",
    ),
    "GB": (
        "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel",
        "Wright", "Robinson", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall",
        "Wood", "Jackson", "Clarke", "Hughes", "Edwards", "Turner", "Khan", "Campbell",
        "Murphy", "Kelly", "Morgan", "Cooper", "Ward", "Shah", "Okafor", "Fraser", "Quinn",
    ),
}  # fmt: skip

# (name, city, ISO country, phone prefix); the prefix plus four digits is a full number.
OFFICES = (
    ("Stockholm HQ", "Stockholm", "SE", "+46 8 555 2"),
    ("Göteborg", "Göteborg", "SE", "+46 31 555 3"),
    ("Oslo", "Oslo", "NO", "+47 22 55 5"),
    ("Bergen", "Bergen", "NO", "+47 55 55 5"),
    ("London", "London", "GB", "+44 20 7946 0"),
    ("Manchester", "Manchester", "GB", "+44 161 496 0"),
)

TIME_ZONES = {"SE": "Europe/Stockholm", "NO": "Europe/Oslo", "GB": "Europe/London"}
MOTHER_TONGUE = {"SE": "Swedish", "NO": "Norwegian", "GB": "English"}
EXTRA_LANGUAGES = ("German", "French", "Spanish", "Finnish", "Danish", "Polish", "Italian",
                   "Dutch", "Arabic", "Hindi", "Portuguese", "Japanese")  # fmt: skip

# Divisions and the departments under them; 42 departments, like the e-mail network.
DIVISIONS = {
    "Research & Development": (
        "Materials Research", "Applied Physics", "Data Science", "Bioinformatics",
        "Laboratory Services", "Clinical Research", "Product Research", "Innovation Lab",
        "Research Computing", "Library & Archives",
    ),
    "Technology": (
        "Platform Engineering", "Infrastructure", "IT Support", "Information Security",
        "Software Development", "Quality Assurance", "Data Engineering", "Architecture",
    ),
    "Operations": (
        "Facilities", "Procurement", "Logistics", "Production Planning", "Health & Safety",
        "Project Office", "Technical Documentation",
    ),
    "Commercial": (
        "Sales Nordics", "Sales UK & Ireland", "Marketing", "Communications",
        "Customer Success", "Partnerships", "Grants & Funding", "Events",
    ),
    "Corporate Services": (
        "Finance", "Accounting", "Payroll", "Legal", "Human Resources",
        "Learning & Development", "Internal Audit", "Strategy", "Executive Office",
    ),
}  # fmt: skip

# Research and technology have their own trades; elsewhere a role within the department.
TITLES = {
    "Research & Development": ("Research Scientist", "Senior Researcher", "Research Engineer",
                               "Postdoctoral Researcher", "PhD Student", "Lab Technician",
                               "Principal Scientist"),
    "Technology": ("Software Engineer", "Senior Developer", "Systems Administrator",
                   "Site Reliability Engineer", "Data Engineer", "Test Engineer",
                   "Solutions Architect"),
}  # fmt: skip
ROLES = ("Specialist", "Senior Specialist", "Coordinator", "Analyst", "Advisor", "Assistant",
         "Team Lead", "Trainee")  # fmt: skip

ABOUT_TEMPLATES = (
    "I work in {department} at our {city} office. Happy to help with {tag1} and {tag2}.",
    "{title} in {department}. Ask me about {tag1}; I am still learning {tag2}.",
    "Based in {city}. Most days: {department}. Evenings: {tag1} and {tag2}.",
    "Part of {department} since a while back. I speak {languages}. Ping me about {tag1}.",
    "{title}, {city}. I keep notes on {tag1} and {tag2} and like to share them.",
    "Glad to be in {department}. I can usually point you to the right person for {tag1}.",
)

ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "kollega-admin"
DEMO_PASSWORD = "kollega-demo"
EMAIL_DOMAIN = "kollega.example"
