//! Deterministic, realistic-looking people, places and words shared by the three vendor fakes.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

pub type Rng8 = ChaCha8Rng;

pub fn rng_for(seed: u64, stream: u64) -> Rng8 {
    use rand::SeedableRng;
    ChaCha8Rng::seed_from_u64(seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

pub fn pick<'a, T, R: Rng>(rng: &mut R, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// `pick` for string tables, returning the `'static` string itself.
pub fn pick_str<R: Rng>(rng: &mut R, items: &[&'static str]) -> &'static str {
    items[rng.random_range(0..items.len())]
}

#[derive(Clone, Copy, Debug)]
pub struct Place {
    pub city: &'static str,
    pub region: &'static str,
    pub region_code: &'static str,
    pub country: &'static str,
    pub country_code: &'static str,
    pub lat: f64,
    pub lng: f64,
    pub dial: &'static str,
}

/// A culture: native-script names paired with the ASCII form used in e-mail addresses.
struct Culture {
    given: &'static [(&'static str, &'static str)],
    family: &'static [(&'static str, &'static str)],
    places: &'static [Place],
}

macro_rules! place {
    ($city:expr, $region:expr, $rc:expr, $country:expr, $cc:expr, $lat:expr, $lng:expr, $dial:expr) => {
        Place {
            city: $city,
            region: $region,
            region_code: $rc,
            country: $country,
            country_code: $cc,
            lat: $lat,
            lng: $lng,
            dial: $dial,
        }
    };
}

const CULTURES: &[Culture] = &[
    Culture {
        given: &[
            ("Anita", "anita"),
            ("Rahul", "rahul"),
            ("Priya", "priya"),
            ("Arjun", "arjun"),
            ("अदिति", "aditi"),
            ("Vikram", "vikram"),
            ("Sneha", "sneha"),
        ],
        family: &[
            ("Rao", "rao"),
            ("Sharma", "sharma"),
            ("Iyer", "iyer"),
            ("Patel", "patel"),
            ("गुप्ता", "gupta"),
            ("Reddy", "reddy"),
            ("Nair", "nair"),
        ],
        places: &[
            place!(
                "Bengaluru",
                "Karnataka",
                "KA",
                "India",
                "in",
                12.97,
                77.59,
                "+91"
            ),
            place!(
                "Mumbai",
                "Maharashtra",
                "MH",
                "India",
                "in",
                19.08,
                72.88,
                "+91"
            ),
            place!(
                "Hyderabad",
                "Telangana",
                "TG",
                "India",
                "in",
                17.39,
                78.49,
                "+91"
            ),
        ],
    },
    Culture {
        given: &[
            ("محمد", "mohammed"),
            ("فاطمة", "fatima"),
            ("Omar", "omar"),
            ("ليلى", "layla"),
            ("Youssef", "youssef"),
            ("Nour", "nour"),
        ],
        family: &[
            ("العلي", "alali"),
            ("Haddad", "haddad"),
            ("الحسن", "alhassan"),
            ("Mansour", "mansour"),
            ("Khoury", "khoury"),
        ],
        places: &[
            place!(
                "Dubai",
                "Dubai",
                "DU",
                "United Arab Emirates",
                "ae",
                25.20,
                55.27,
                "+971"
            ),
            place!(
                "Cairo",
                "Cairo Governorate",
                "C",
                "Egypt",
                "eg",
                30.04,
                31.24,
                "+20"
            ),
            place!("Amman", "Amman", "AM", "Jordan", "jo", 31.95, 35.93, "+962"),
        ],
    },
    Culture {
        given: &[
            ("נועה", "noa"),
            ("Yael", "yael"),
            ("אורי", "ori"),
            ("Itai", "itai"),
            ("Tamar", "tamar"),
        ],
        family: &[
            ("כהן", "cohen"),
            ("Levi", "levi"),
            ("מזרחי", "mizrahi"),
            ("Friedman", "friedman"),
        ],
        places: &[place!(
            "Tel Aviv",
            "Tel Aviv District",
            "TA",
            "Israel",
            "il",
            32.09,
            34.78,
            "+972"
        )],
    },
    Culture {
        given: &[
            ("伟", "wei"),
            ("芳", "fang"),
            ("Li", "li"),
            ("秀英", "xiuying"),
            ("Jun", "jun"),
            ("敏", "min"),
        ],
        family: &[
            ("王", "wang"),
            ("李", "li"),
            ("张", "zhang"),
            ("Chen", "chen"),
            ("刘", "liu"),
        ],
        places: &[
            place!(
                "Shanghai", "Shanghai", "SH", "China", "cn", 31.23, 121.47, "+86"
            ),
            place!(
                "Shenzhen",
                "Guangdong",
                "GD",
                "China",
                "cn",
                22.54,
                114.06,
                "+86"
            ),
            place!(
                "Singapore",
                "Singapore",
                "SG",
                "Singapore",
                "sg",
                1.35,
                103.82,
                "+65"
            ),
        ],
    },
    Culture {
        given: &[
            ("陽翔", "haruto"),
            ("Yui", "yui"),
            ("さくら", "sakura"),
            ("Ren", "ren"),
            ("Aoi", "aoi"),
        ],
        family: &[
            ("佐藤", "sato"),
            ("Suzuki", "suzuki"),
            ("高橋", "takahashi"),
            ("Tanaka", "tanaka"),
        ],
        places: &[
            place!("Tokyo", "Tokyo", "13", "Japan", "jp", 35.68, 139.69, "+81"),
            place!("Osaka", "Osaka", "27", "Japan", "jp", 34.69, 135.50, "+81"),
        ],
    },
    Culture {
        given: &[
            ("민준", "minjun"),
            ("Seo-yeon", "seoyeon"),
            ("지우", "jiwoo"),
            ("Ha-eun", "haeun"),
        ],
        family: &[
            ("김", "kim"),
            ("Lee", "lee"),
            ("박", "park"),
            ("Choi", "choi"),
        ],
        places: &[place!(
            "Seoul",
            "Seoul",
            "11",
            "South Korea",
            "kr",
            37.57,
            126.98,
            "+82"
        )],
    },
    Culture {
        given: &[
            ("José", "jose"),
            ("María", "maria"),
            ("Lucía", "lucia"),
            ("Sofía", "sofia"),
            ("Mateo", "mateo"),
            ("Camila", "camila"),
            ("Joaquín", "joaquin"),
        ],
        family: &[
            ("García", "garcia"),
            ("Rodríguez", "rodriguez"),
            ("Martínez", "martinez"),
            ("López", "lopez"),
            ("Hernández", "hernandez"),
            ("Muñoz", "munoz"),
        ],
        places: &[
            place!(
                "Madrid",
                "Community of Madrid",
                "MD",
                "Spain",
                "es",
                40.42,
                -3.70,
                "+34"
            ),
            place!(
                "Mexico City",
                "Ciudad de México",
                "CMX",
                "Mexico",
                "mx",
                19.43,
                -99.13,
                "+52"
            ),
            place!(
                "Buenos Aires",
                "Buenos Aires",
                "C",
                "Argentina",
                "ar",
                -34.60,
                -58.38,
                "+54"
            ),
            place!(
                "Bogotá",
                "Bogotá D.C.",
                "DC",
                "Colombia",
                "co",
                4.71,
                -74.07,
                "+57"
            ),
        ],
    },
    Culture {
        given: &[
            ("João", "joao"),
            ("Ana", "ana"),
            ("Gabriel", "gabriel"),
            ("Beatriz", "beatriz"),
            ("Thiago", "thiago"),
        ],
        family: &[
            ("Silva", "silva"),
            ("Santos", "santos"),
            ("Lira", "lira"),
            ("Conceição", "conceicao"),
            ("Araújo", "araujo"),
        ],
        places: &[
            place!(
                "São Paulo",
                "São Paulo",
                "SP",
                "Brazil",
                "br",
                -23.55,
                -46.63,
                "+55"
            ),
            place!(
                "Lisbon", "Lisboa", "11", "Portugal", "pt", 38.72, -9.14, "+351"
            ),
        ],
    },
    Culture {
        given: &[
            ("Zoë", "zoe"),
            ("Émile", "emile"),
            ("Chloé", "chloe"),
            ("Lukas", "lukas"),
            ("Jürgen", "juergen"),
            ("Léa", "lea"),
            ("Hannah", "hannah"),
        ],
        family: &[
            ("Müller", "mueller"),
            ("Dubois", "dubois"),
            ("Schröder", "schroeder"),
            ("Lefèvre", "lefevre"),
            ("Weiß", "weiss"),
            ("Janssen", "janssen"),
        ],
        places: &[
            place!(
                "Berlin", "Berlin", "BE", "Germany", "de", 52.52, 13.40, "+49"
            ),
            place!(
                "Paris",
                "Île-de-France",
                "IDF",
                "France",
                "fr",
                48.86,
                2.35,
                "+33"
            ),
            place!(
                "Amsterdam",
                "North Holland",
                "NH",
                "Netherlands",
                "nl",
                52.37,
                4.90,
                "+31"
            ),
            place!(
                "Zürich",
                "Zurich",
                "ZH",
                "Switzerland",
                "ch",
                47.38,
                8.54,
                "+41"
            ),
        ],
    },
    Culture {
        given: &[
            ("Åsa", "asa"),
            ("Björn", "bjorn"),
            ("Søren", "soren"),
            ("Ingrid", "ingrid"),
            ("Aino", "aino"),
        ],
        family: &[
            ("Lindqvist", "lindqvist"),
            ("Østergaard", "ostergaard"),
            ("Virtanen", "virtanen"),
            ("Håkansson", "hakansson"),
        ],
        places: &[
            place!(
                "Stockholm",
                "Stockholm County",
                "AB",
                "Sweden",
                "se",
                59.33,
                18.07,
                "+46"
            ),
            place!(
                "Copenhagen",
                "Capital Region",
                "84",
                "Denmark",
                "dk",
                55.68,
                12.57,
                "+45"
            ),
            place!(
                "Helsinki", "Uusimaa", "18", "Finland", "fi", 60.17, 24.94, "+358"
            ),
        ],
    },
    Culture {
        given: &[
            ("Олег", "oleg"),
            ("Анна", "anna"),
            ("Dmytro", "dmytro"),
            ("Katarzyna", "katarzyna"),
            ("Wojciech", "wojciech"),
        ],
        family: &[
            ("Иванова", "ivanova"),
            ("Kowalski", "kowalski"),
            ("Шевченко", "shevchenko"),
            ("Nowak", "nowak"),
        ],
        places: &[
            place!(
                "Warsaw", "Masovian", "14", "Poland", "pl", 52.23, 21.01, "+48"
            ),
            place!("Kyiv", "Kyiv", "30", "Ukraine", "ua", 50.45, 30.52, "+380"),
        ],
    },
    Culture {
        given: &[
            ("Chinedu", "chinedu"),
            ("Adaeze", "adaeze"),
            ("Oluwaseun", "oluwaseun"),
            ("Amara", "amara"),
            ("Kwame", "kwame"),
            ("Wanjiru", "wanjiru"),
        ],
        family: &[
            ("Okafor", "okafor"),
            ("Adeyemi", "adeyemi"),
            ("Mensah", "mensah"),
            ("Kamau", "kamau"),
            ("Ọlátúnjí", "olatunji"),
        ],
        places: &[
            place!("Lagos", "Lagos", "LA", "Nigeria", "ng", 6.52, 3.38, "+234"),
            place!(
                "Nairobi",
                "Nairobi County",
                "30",
                "Kenya",
                "ke",
                -1.29,
                36.82,
                "+254"
            ),
            place!(
                "Accra",
                "Greater Accra",
                "AA",
                "Ghana",
                "gh",
                5.60,
                -0.19,
                "+233"
            ),
        ],
    },
    Culture {
        given: &[
            ("Nguyễn Minh", "minh"),
            ("Linh", "linh"),
            ("Siti", "siti"),
            ("Budi", "budi"),
            ("Maria Clara", "mariaclara"),
        ],
        family: &[
            ("Trần", "tran"),
            ("Phạm", "pham"),
            ("Santoso", "santoso"),
            ("Reyes", "reyes"),
        ],
        places: &[
            place!(
                "Ho Chi Minh City",
                "Ho Chi Minh",
                "SG",
                "Vietnam",
                "vn",
                10.82,
                106.63,
                "+84"
            ),
            place!(
                "Jakarta",
                "Jakarta",
                "JK",
                "Indonesia",
                "id",
                -6.21,
                106.85,
                "+62"
            ),
            place!(
                "Manila",
                "Metro Manila",
                "NCR",
                "Philippines",
                "ph",
                14.60,
                120.98,
                "+63"
            ),
        ],
    },
    Culture {
        given: &[
            ("Emily", "emily"),
            ("James", "james"),
            ("Olivia", "olivia"),
            ("Liam", "liam"),
            ("Siobhán", "siobhan"),
            ("Aroha", "aroha"),
            ("Noah", "noah"),
        ],
        family: &[
            ("Smith", "smith"),
            ("O'Brien", "obrien"),
            ("Johnson", "johnson"),
            ("Williams", "williams"),
            ("Ngata", "ngata"),
            ("Brown", "brown"),
        ],
        places: &[
            place!(
                "San Francisco",
                "California",
                "CA",
                "United States",
                "us",
                37.77,
                -122.42,
                "+1"
            ),
            place!(
                "New York",
                "New York",
                "NY",
                "United States",
                "us",
                40.71,
                -74.01,
                "+1"
            ),
            place!(
                "Austin",
                "Texas",
                "TX",
                "United States",
                "us",
                30.27,
                -97.74,
                "+1"
            ),
            place!(
                "Toronto", "Ontario", "ON", "Canada", "ca", 43.65, -79.38, "+1"
            ),
            place!(
                "London",
                "England",
                "ENG",
                "United Kingdom",
                "gb",
                51.51,
                -0.13,
                "+44"
            ),
            place!(
                "Dublin", "Leinster", "L", "Ireland", "ie", 53.35, -6.26, "+353"
            ),
            place!(
                "Sydney",
                "New South Wales",
                "NSW",
                "Australia",
                "au",
                -33.87,
                151.21,
                "+61"
            ),
            place!(
                "Auckland",
                "Auckland",
                "AUK",
                "New Zealand",
                "nz",
                -36.85,
                174.76,
                "+64"
            ),
        ],
    },
    Culture {
        given: &[
            ("Mehmet", "mehmet"),
            ("Ayşe", "ayse"),
            ("Γιώργος", "giorgos"),
            ("Ελένη", "eleni"),
            ("Dariush", "dariush"),
            ("شیرین", "shirin"),
        ],
        family: &[
            ("Yılmaz", "yilmaz"),
            ("Papadopoulos", "papadopoulos"),
            ("Καραγιάννη", "karagianni"),
            ("Rahimi", "rahimi"),
        ],
        places: &[
            place!(
                "Istanbul", "Istanbul", "34", "Turkey", "tr", 41.01, 28.98, "+90"
            ),
            place!("Athens", "Attica", "I", "Greece", "gr", 37.98, 23.73, "+30"),
        ],
    },
];

const EMAIL_DOMAINS: &[&str] = &[
    "example.com",
    "example.org",
    "example.net",
    "mail.example",
    "inbox.example",
    "post.example",
];

pub const SKILL_TAGS: &[&str] = &[
    "java",
    "rust",
    "python",
    "go",
    "typescript",
    "react",
    "sql",
    "kubernetes",
    "aws",
    "data-science",
    "ux",
    "sales",
    "marketing",
    "finance",
    "leadership",
    "remote-ok",
    "relocation",
    "referral",
    "senior",
    "junior",
    "bilingual",
    "ml",
];

pub const COMPANIES: &[&str] = &[
    "Acme Corp",
    "Globex",
    "Initech",
    "Umbrella Labs",
    "Stark Industries",
    "Wayne Enterprises",
    "Hooli",
    "Pied Piper",
    "Tata Consultancy",
    "Infosys",
    "Zalando",
    "Spotify",
    "Mercado Libre",
    "Rakuten",
    "Naver",
    "Flutterwave",
    "Careem",
];

pub const TITLES: &[&str] = &[
    "Software Engineer",
    "Senior Backend Engineer",
    "Product Designer",
    "Data Analyst",
    "Engineering Manager",
    "Account Executive",
    "Marketing Manager",
    "Financial Analyst",
    "DevOps Engineer",
    "QA Engineer",
    "Customer Success Manager",
    "Recruiter",
    "Machine Learning Engineer",
    "Product Manager",
    "Sales Development Rep",
];

pub const SCHOOLS: &[&str] = &[
    "University of Lagos",
    "IIT Bombay",
    "Universidad de Buenos Aires",
    "Technische Universität München",
    "University of Toronto",
    "Tsinghua University",
    "Seoul National University",
    "Cairo University",
    "Universidade de São Paulo",
    "University College Dublin",
    "KTH Royal Institute of Technology",
    "Stanford University",
];

pub const DEGREES: &[&str] = &["BSc", "BA", "MSc", "MBA", "BEng", "PhD", "Diploma"];
pub const MAJORS: &[&str] = &[
    "Computer Science",
    "Economics",
    "Design",
    "Mathematics",
    "Business",
    "Psychology",
    "Physics",
];

#[derive(Clone, Debug)]
pub struct Person {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub place: Place,
    pub tags: Vec<String>,
    pub title: &'static str,
    pub company: &'static str,
    pub school: &'static str,
    pub degree: &'static str,
    pub major: &'static str,
    /// A location given verbatim by an API client (overrides `place` when rendering).
    pub custom_location: Option<serde_json::Value>,
}

impl Person {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
    pub fn linkedin(&self) -> String {
        let local = self.email.split('@').next().unwrap_or("candidate");
        format!("https://www.linkedin.com/in/{}", local.replace('.', "-"))
    }
}

pub fn all_places() -> Vec<Place> {
    CULTURES
        .iter()
        .flat_map(|c| c.places.iter().copied())
        .collect()
}

/// One person. `n` makes the e-mail unique within a data set.
pub fn person<R: Rng>(rng: &mut R, n: usize) -> Person {
    let culture = pick(rng, CULTURES);
    let (given, given_ascii) = *pick(rng, culture.given);
    let (family, family_ascii) = *pick(rng, culture.family);
    // About one person in eight lives outside the country their name comes from.
    let place = if rng.random_bool(0.125) {
        {
            let other = pick(rng, CULTURES);
            *pick(rng, other.places)
        }
    } else {
        *pick(rng, culture.places)
    };
    let domain = pick(rng, EMAIL_DOMAINS);
    let email = format!("{given_ascii}.{family_ascii}.{n}@{domain}");
    let phone = format!(
        "{} {} {:03} {:04}",
        place.dial,
        rng.random_range(20..99),
        rng.random_range(0..1000),
        rng.random_range(0..10000)
    );
    let ntags = rng.random_range(0..4);
    let mut tags: Vec<String> = Vec::with_capacity(ntags);
    for _ in 0..ntags {
        let t = pick(rng, SKILL_TAGS).to_string();
        if !tags.contains(&t) {
            tags.push(t);
        }
    }
    Person {
        first_name: given.to_string(),
        last_name: family.to_string(),
        email,
        phone,
        place,
        tags,
        title: pick_str(rng, TITLES),
        company: pick_str(rng, COMPANIES),
        school: pick_str(rng, SCHOOLS),
        degree: pick_str(rng, DEGREES),
        major: pick_str(rng, MAJORS),
        custom_location: None,
    }
}

/// A timestamp inside the generated data window.
pub fn past_ms<R: Rng>(rng: &mut R) -> i64 {
    rng.random_range(crate::util::DATA_START_MS..crate::util::DATA_END_MS - 30 * 86_400_000)
}

/// The PDF resume of a person: name, e-mail, phone, and a short history.
pub fn resume_pdf(p: &Person) -> Vec<u8> {
    crate::pdf::one_page(&[
        p.full_name(),
        p.email.clone(),
        p.phone.clone(),
        format!("{}, {}", p.place.city, p.place.country),
        String::new(),
        format!("{} at {}", p.title, p.company),
        format!("{} {}, {}", p.degree, p.major, p.school),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_people() {
        let a: Vec<String> = (0..50)
            .scan(rng_for(7, 1), |r, i| Some(person(r, i).email))
            .collect();
        let b: Vec<String> = (0..50)
            .scan(rng_for(7, 1), |r, i| Some(person(r, i).email))
            .collect();
        let c: Vec<String> = (0..50)
            .scan(rng_for(8, 1), |r, i| Some(person(r, i).email))
            .collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn names_span_scripts_including_rtl() {
        let mut r = rng_for(42, 1);
        let names: Vec<String> = (0..2000).map(|i| person(&mut r, i).full_name()).collect();
        let rtl = names
            .iter()
            .any(|n| n.chars().any(|c| ('\u{0590}'..='\u{06FF}').contains(&c)));
        let cjk = names
            .iter()
            .any(|n| n.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)));
        assert!(rtl && cjk);
    }
}
