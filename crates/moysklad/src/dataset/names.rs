//! Word lists for realistic Russian and Uzbek data: people, companies, places and goods.

/// Russian first names with the matching surname ending: `(name, feminine)`.
pub const RUSSIAN_FIRST: [(&str, bool); 24] = [
    ("Александр", false),
    ("Дмитрий", false),
    ("Сергей", false),
    ("Андрей", false),
    ("Алексей", false),
    ("Иван", false),
    ("Михаил", false),
    ("Николай", false),
    ("Павел", false),
    ("Владимир", false),
    ("Егор", false),
    ("Артём", false),
    ("Анна", true),
    ("Елена", true),
    ("Ольга", true),
    ("Наталья", true),
    ("Татьяна", true),
    ("Мария", true),
    ("Ирина", true),
    ("Светлана", true),
    ("Екатерина", true),
    ("Юлия", true),
    ("Дарья", true),
    ("Ксения", true),
];

/// Russian surnames in the masculine form; the feminine adds "а".
pub const RUSSIAN_LAST: [&str; 20] = [
    "Иванов",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Петров",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Фёдоров",
    "Морозов",
    "Волков",
    "Алексеев",
    "Лебедев",
    "Семёнов",
    "Егоров",
    "Павлов",
    "Козлов",
    "Степанов",
    "Николаев",
];

/// Uzbek first names: `(name, feminine)`.
pub const UZBEK_FIRST: [(&str, bool); 20] = [
    ("Азиз", false),
    ("Бахтиёр", false),
    ("Жасур", false),
    ("Отабек", false),
    ("Рустам", false),
    ("Санжар", false),
    ("Шерзод", false),
    ("Улугбек", false),
    ("Тимур", false),
    ("Фаррух", false),
    ("Дилноза", true),
    ("Гулнора", true),
    ("Малика", true),
    ("Нодира", true),
    ("Шахноза", true),
    ("Зарина", true),
    ("Мадина", true),
    ("Феруза", true),
    ("Севара", true),
    ("Камола", true),
];

/// Uzbek surnames in the masculine form; the feminine adds "а".
pub const UZBEK_LAST: [&str; 16] = [
    "Каримов",
    "Юсупов",
    "Рахимов",
    "Алимов",
    "Исмоилов",
    "Турсунов",
    "Абдуллаев",
    "Ахмедов",
    "Хасанов",
    "Мирзаев",
    "Назаров",
    "Султанов",
    "Ташкентов",
    "Умаров",
    "Хакимов",
    "Эргашев",
];

/// Words companies are named with.
pub const RUSSIAN_COMPANY_WORDS: [&str; 16] = [
    "Вектор",
    "Альянс",
    "Гранит",
    "Меридиан",
    "Орион",
    "Сфера",
    "Терра",
    "Спектр",
    "Импульс",
    "Прогресс",
    "Северный ветер",
    "Торговый дом",
    "Стройснаб",
    "Агроресурс",
    "Техноком",
    "Профит",
];
pub const UZBEK_COMPANY_WORDS: [&str; 12] = [
    "Samarqand Savdo",
    "Toshkent Invest",
    "Buxoro Trade",
    "Farg'ona Tekstil",
    "Navoiy Metall",
    "Andijon Agro",
    "Xorazm Baraka",
    "Zarafshon",
    "Ipak Yo'li",
    "Oltin Vodiy",
    "Registon",
    "Chorsu Market",
];

/// Cities with their streets and phone prefixes.
pub struct Region {
    pub country: &'static str,
    pub city: &'static str,
    pub postcode: &'static str,
    pub streets: &'static [&'static str],
}

pub const RUSSIAN_CITIES: [Region; 6] = [
    Region {
        country: "Россия",
        city: "Москва",
        postcode: "101000",
        streets: &[
            "ул. Тверская",
            "ул. Арбат",
            "Ленинский пр-т",
            "ул. Профсоюзная",
        ],
    },
    Region {
        country: "Россия",
        city: "Санкт-Петербург",
        postcode: "190000",
        streets: &[
            "Невский пр-т",
            "ул. Садовая",
            "Московский пр-т",
            "ул. Марата",
        ],
    },
    Region {
        country: "Россия",
        city: "Казань",
        postcode: "420000",
        streets: &["ул. Баумана", "ул. Пушкина", "пр-т Победы"],
    },
    Region {
        country: "Россия",
        city: "Новосибирск",
        postcode: "630000",
        streets: &["Красный пр-т", "ул. Ленина", "ул. Гоголя"],
    },
    Region {
        country: "Россия",
        city: "Екатеринбург",
        postcode: "620000",
        streets: &["ул. Малышева", "ул. Вайнера", "пр-т Ленина"],
    },
    Region {
        country: "Россия",
        city: "Нижний Новгород",
        postcode: "603000",
        streets: &["ул. Большая Покровская", "ул. Рождественская"],
    },
];

pub const UZBEK_CITIES: [Region; 5] = [
    Region {
        country: "Узбекистан",
        city: "Ташкент",
        postcode: "100000",
        streets: &[
            "ул. Амира Темура",
            "ул. Навои",
            "ул. Шота Руставели",
            "ул. Бабура",
        ],
    },
    Region {
        country: "Узбекистан",
        city: "Самарканд",
        postcode: "140100",
        streets: &["ул. Регистан", "ул. Ташкентская", "ул. Мирзо Улугбека"],
    },
    Region {
        country: "Узбекистан",
        city: "Бухара",
        postcode: "200100",
        streets: &["ул. Бахауддина Накшбанди", "ул. Мустакиллик"],
    },
    Region {
        country: "Узбекистан",
        city: "Наманган",
        postcode: "160100",
        streets: &["ул. Уйчи", "ул. Машраба"],
    },
    Region {
        country: "Узбекистан",
        city: "Фергана",
        postcode: "150100",
        streets: &["ул. Ал-Фаргани", "ул. Маърифат"],
    },
];

/// Top-level catalogue sections and the goods they hold.
pub struct Section {
    pub name: &'static str,
    pub subsections: &'static [&'static str],
    pub goods: &'static [&'static str],
}

pub const SECTIONS: [Section; 8] = [
    Section {
        name: "Одежда",
        subsections: &["Мужская", "Женская", "Детская", "Верхняя одежда"],
        goods: &[
            "Футболка",
            "Рубашка",
            "Джинсы",
            "Куртка",
            "Свитер",
            "Платье",
            "Халат",
        ],
    },
    Section {
        name: "Обувь",
        subsections: &["Кроссовки", "Ботинки", "Сандалии"],
        goods: &["Кроссовки", "Ботинки", "Туфли", "Сандалии", "Кеды"],
    },
    Section {
        name: "Электроника",
        subsections: &["Смартфоны", "Аксессуары", "Аудио"],
        goods: &[
            "Смартфон",
            "Наушники",
            "Зарядное устройство",
            "Power bank",
            "Колонка",
        ],
    },
    Section {
        name: "Бытовая техника",
        subsections: &["Кухня", "Уборка", "Климат"],
        goods: &[
            "Чайник",
            "Пылесос",
            "Утюг",
            "Микроволновая печь",
            "Вентилятор",
        ],
    },
    Section {
        name: "Продукты",
        subsections: &["Бакалея", "Сладости", "Напитки", "Сухофрукты"],
        goods: &[
            "Рис девзира",
            "Чай зелёный",
            "Курага",
            "Изюм",
            "Халва",
            "Мёд",
            "Кофе",
        ],
    },
    Section {
        name: "Посуда",
        subsections: &["Казаны", "Пиалы", "Сервизы"],
        goods: &["Казан", "Пиала", "Ляган", "Чайник заварочный", "Сковорода"],
    },
    Section {
        name: "Текстиль",
        subsections: &["Постельное бельё", "Ковры", "Сюзане"],
        goods: &["Комплект белья", "Ковёр", "Сюзане", "Полотенце", "Плед"],
    },
    Section {
        name: "Канцтовары",
        subsections: &["Бумага", "Письменные принадлежности"],
        goods: &["Тетрадь", "Ручка", "Бумага А4", "Маркер", "Папка"],
    },
];

pub const BRANDS: [&str; 12] = [
    "Nova",
    "Artel",
    "Shivaki",
    "Redmond",
    "Polaris",
    "Oltin",
    "Baraka",
    "Север",
    "Восток",
    "Uztex",
    "Samo",
    "Лидер",
];

pub const COLORS: [&str; 8] = [
    "белый",
    "чёрный",
    "красный",
    "синий",
    "зелёный",
    "серый",
    "бежевый",
    "жёлтый",
];
pub const SIZES: [&str; 6] = ["XS", "S", "M", "L", "XL", "XXL"];

pub const SERVICES: [&str; 10] = [
    "Доставка по городу",
    "Доставка до пункта выдачи",
    "Сборка мебели",
    "Установка техники",
    "Подарочная упаковка",
    "Гарантийное обслуживание",
    "Консультация",
    "Подъём на этаж",
    "Монтаж",
    "Настройка устройства",
];

pub const STORES: [(&str, &str); 2] = [
    (
        "Склад Ташкент",
        "Узбекистан, 100000, Ташкент, ул. Амира Темура, 15",
    ),
    ("Склад Москва", "Россия, 101000, Москва, ул. Тверская, 7"),
];
