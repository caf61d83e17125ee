/// The tables a simulated `mysqldump` writes: a few of an Open edX platform's (simplified columns, rows that read like
/// a demo course's) and MySQL's own `user` table for `--all-databases`. Each row ends its free text (an answer, a
/// session, a description) with `padding` more characters, which the generator uses to end a table on the byte; what
/// follows the text in a row has a fixed width (dates, one digit), so padding changes the length by exactly `padding`.
struct SQLTable: Sendable {
    var name: String
    var weight: Int
    /// The column definitions between `CREATE TABLE … (` and `) ENGINE=…`.
    var columns: String
    /// Appends the row's values, without the surrounding parentheses.
    var row: @Sendable (_ out: inout [UInt8], _ random: inout DumpRandom, _ index: Int, _ padding: Int) -> Void
}

enum OpenEdXTables {
    /// An application database's tables, in `SHOW TABLES` order (mysqldump dumps them alphabetically).
    static let application: [SQLTable] = [authUser, authUserProfile, courseOverview, studentModule, migrations, sessions, submissions]

    /// The `mysql` system database, as `--all-databases` includes it.
    static let system: [SQLTable] = [mysqlUser]

    /// A quoted SQL string of words, `natural` long plus `padding`.
    private static func words(_ out: inout [UInt8], _ r: inout DumpRandom, _ natural: ClosedRange<Int>, _ padding: Int, separator: UInt8 = 0x20) {
        out.append(0x27)
        out.putWords(&r, count: r.int(natural) + padding, separator: separator)
        out.append(0x27)
    }

    private static func date(_ out: inout [UInt8], _ r: inout DumpRandom) {
        out.append(0x27); out.putDate(&r); out.put(".000000'")
    }

    /// `admin` for the first user, `learnerN` for the others.
    private static func username(_ out: inout [UInt8], _ i: Int) {
        if i == 0 { out.put("admin") } else { out.put("learner"); out.put(i) }
    }

    static let authUser = SQLTable(name: "auth_user", weight: 4, columns: """
          `id` int NOT NULL AUTO_INCREMENT,
          `password` varchar(128) NOT NULL,
          `last_login` datetime(6) DEFAULT NULL,
          `is_superuser` tinyint(1) NOT NULL,
          `username` varchar(150) NOT NULL,
          `first_name` varchar(150) NOT NULL,
          `last_name` varchar(150) NOT NULL,
          `email` varchar(254) NOT NULL,
          `is_staff` tinyint(1) NOT NULL,
          `is_active` tinyint(1) NOT NULL,
          `date_joined` datetime(6) NOT NULL,
          PRIMARY KEY (`id`),
          UNIQUE KEY `username` (`username`)
        """) { out, r, i, padding in
        out.put(i + 1); out.put(",'pbkdf2_sha256$600000$"); out.putBase64(&r, count: 22); out.put("$"); out.putBase64(&r, count: 43)
        out.put("',"); date(&out, &r); out.put(i == 0 ? ",1,'" : ",0,'"); username(&out, i)
        out.put("','"); out.put(r.pick(["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald"])); out.put("',")
        words(&out, &r, 3...10, padding)
        out.put(",'"); username(&out, i); out.put("@example.com',")
        out.put(i == 0 ? "1,1," : "0,1,"); date(&out, &r)
    }

    static let authUserProfile = SQLTable(name: "auth_userprofile", weight: 3, columns: """
          `id` int NOT NULL AUTO_INCREMENT,
          `name` varchar(255) NOT NULL,
          `meta` longtext NOT NULL,
          `courseware` varchar(255) NOT NULL,
          `language` varchar(255) NOT NULL,
          `location` varchar(255) NOT NULL,
          `year_of_birth` int DEFAULT NULL,
          `gender` varchar(6) DEFAULT NULL,
          `level_of_education` varchar(6) DEFAULT NULL,
          `mailing_address` longtext,
          `city` longtext,
          `country` varchar(2) DEFAULT NULL,
          `goals` longtext,
          `user_id` int NOT NULL,
          PRIMARY KEY (`id`),
          UNIQUE KEY `user_id` (`user_id`)
        """) { out, r, i, padding in
        out.put(i + 1); out.put(",'Learner "); out.put(i + 1); out.put("','','course.xml','','',"); out.put(r.int(1950...2008))
        out.put(",'"); out.put(r.pick(["f", "m", "o"])); out.put("','"); out.put(r.pick(["b", "m", "hs", "p", "a"])); out.put("','','")
        out.put(r.pick(["Paris", "Lima", "Nairobi", "Osaka", "Quebec", "Porto"])); out.put("','"); out.put(r.pick(["FR", "PE", "KE", "JP", "CA", "PT"]))
        out.put("',"); words(&out, &r, 10...80, padding); out.put(","); out.put(i + 1)
    }

    static let courseOverview = SQLTable(name: "course_overviews_courseoverview", weight: 1, columns: """
          `created` datetime(6) NOT NULL,
          `modified` datetime(6) NOT NULL,
          `version` int NOT NULL,
          `id` varchar(255) NOT NULL,
          `_location` varchar(255) NOT NULL,
          `display_name` longtext,
          `start` datetime(6) DEFAULT NULL,
          `end` datetime(6) DEFAULT NULL,
          `short_description` longtext,
          `self_paced` tinyint(1) NOT NULL,
          `language` longtext,
          PRIMARY KEY (`id`)
        """) { out, r, i, padding in
        date(&out, &r); out.put(","); date(&out, &r); out.put(",19,'course-v1:OpenedX+Course"); out.put(i + 1)
        out.put("+2024','block-v1:OpenedX+Course"); out.put(i + 1); out.put("+2024+type@course+block@course','Course "); out.put(i + 1)
        out.put("',"); date(&out, &r); out.put(",NULL,"); words(&out, &r, 20...120, padding); out.put(","); out.put(r.int(0...1)); out.put(",'en'")
    }

    static let studentModule = SQLTable(name: "courseware_studentmodule", weight: 40, columns: """
          `id` bigint NOT NULL AUTO_INCREMENT,
          `module_type` varchar(32) NOT NULL,
          `module_id` varchar(255) NOT NULL,
          `student_id` int NOT NULL,
          `state` longtext,
          `grade` double DEFAULT NULL,
          `created` datetime(6) NOT NULL,
          `modified` datetime(6) NOT NULL,
          `max_grade` double DEFAULT NULL,
          `done` varchar(8) NOT NULL,
          `course_id` varchar(255) NOT NULL,
          PRIMARY KEY (`id`),
          UNIQUE KEY `courseware_studentmodule_student_id_module_id_course_id_uniq` (`student_id`,`module_id`,`course_id`),
          KEY `courseware_studentmodule_module_type_idx` (`module_type`)
        """) { out, r, i, padding in
        let key = r.pick(DumpText.courses)
        var block: [UInt8] = []
        block.putHex(&r, count: 32)
        out.put(i + 1); out.put(",'problem','block-v1:"); out.put(key); out.put("+type@problem+block@"); out += block
        out.put("',"); out.put(r.int(1...5000)); out.put(",'{\\\"attempts\\\": "); out.put(r.int(1...3))
        out.put(", \\\"seed\\\": 1, \\\"done\\\": true, \\\"student_answers\\\": {\\\""); out += block; out.put("_2_1\\\": \\\"")
        out.putWords(&r, count: r.int(8...90) + padding)
        out.put("\\\"}}',"); let grade = r.int(0...1); out.put(grade); out.put(","); date(&out, &r); out.put(","); date(&out, &r)
        out.put(",1,'na','course-v1:"); out.put(key); out.put("'")
    }

    static let migrations = SQLTable(name: "django_migrations", weight: 1, columns: """
          `id` bigint NOT NULL AUTO_INCREMENT,
          `app` varchar(255) NOT NULL,
          `name` varchar(255) NOT NULL,
          `applied` datetime(6) NOT NULL,
          PRIMARY KEY (`id`)
        """) { out, r, i, padding in
        out.put(i + 1); out.put(",'"); out.put(r.pick(["auth", "student", "courseware", "grades", "submissions", "completion"]))
        out.put("','"); out.put(i % 10000, width: 4); out.put("_"); out.putWords(&r, count: r.int(4...30) + padding, separator: 0x5F)
        out.put("',"); date(&out, &r)
    }

    static let sessions = SQLTable(name: "django_session", weight: 6, columns: """
          `session_key` varchar(40) NOT NULL,
          `session_data` longtext NOT NULL,
          `expire_date` datetime(6) NOT NULL,
          PRIMARY KEY (`session_key`),
          KEY `django_session_expire_date_a5c62663` (`expire_date`)
        """) { out, r, _, padding in
        out.put("'"); out.putHex(&r, count: 32); out.put("','.eJx"); out.putBase64(&r, count: r.int(60...220) + padding)
        out.put("',"); date(&out, &r)
    }

    static let submissions = SQLTable(name: "submissions_submission", weight: 8, columns: """
          `id` int NOT NULL AUTO_INCREMENT,
          `uuid` char(32) NOT NULL,
          `attempt_number` int unsigned NOT NULL,
          `submitted_at` datetime(6) NOT NULL,
          `created_at` datetime(6) NOT NULL,
          `raw_answer` longtext NOT NULL,
          `student_item_id` int NOT NULL,
          `status` varchar(1) NOT NULL,
          PRIMARY KEY (`id`),
          UNIQUE KEY `uuid` (`uuid`)
        """) { out, r, i, padding in
        let item = r.int(1...900)
        out.put(i + 1); out.put(",'"); out.putHex(&r, count: 32); out.put("',"); out.put(r.int(1...3)); out.put(",")
        date(&out, &r); out.put(","); date(&out, &r); out.put(",'{\\\"parts\\\": [{\\\"text\\\": \\\"")
        out.putWords(&r, count: r.int(20...200) + padding); out.put("\\\"}]}',"); out.put(item); out.put(",'A'")
    }

    static let mysqlUser = SQLTable(name: "user", weight: 1, columns: """
          `Host` char(255) CHARACTER SET ascii COLLATE ascii_general_ci NOT NULL DEFAULT '',
          `User` char(32) COLLATE utf8mb3_bin NOT NULL DEFAULT '',
          `plugin` char(64) COLLATE utf8mb3_bin NOT NULL DEFAULT 'caching_sha2_password',
          `authentication_string` text COLLATE utf8mb3_bin,
          `account_locked` enum('N','Y') CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci NOT NULL DEFAULT 'N',
          PRIMARY KEY (`Host`,`User`)
        """) { out, r, i, padding in
        out.put(i == 0 ? "'%','root'" : "'%','openedx\(i)'")
        out.put(",'caching_sha2_password','$A$005$"); out.putBase64(&r, count: 60 + padding); out.put("','N'")
    }
}
