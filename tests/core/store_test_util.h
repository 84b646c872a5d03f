#pragma once
// Helpers shared by the storage tests (test_storage_formats.cpp, test_store_saves.cpp,
// test_store_damage.cpp): temporary folders, whole files, and the commands that fill a directory.
#include <catch2/catch.hpp>
#include <dirent.h>
#include <stdlib.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "commands.h"

namespace roster::testutil {

// A fresh folder under /tmp; the store lives in its "store" subfolder (created by the first save).
inline std::string tempStoreDir(const char* prefix = "roster-store") {
    std::string tmpl = std::string("/tmp/") + prefix + "-XXXXXX";
    char* d = mkdtemp(tmpl.data());
    REQUIRE(d != nullptr);
    return std::string(d) + "/store";
}

inline std::string slurp(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

// Replaces a file's content.
inline void spit(const std::string& path, const std::string& data) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << data;
}

// The names in a folder (without "." and ".."), sorted.
inline std::set<std::string> listDir(const std::string& dir) {
    std::set<std::string> out;
    if (DIR* dp = opendir(dir.c_str())) {
        while (dirent* e = readdir(dp)) {
            std::string n = e->d_name;
            if (n != "." && n != "..") out.insert(n);
        }
        closedir(dp);
    }
    return out;
}

// People with a team and a start date, GitHub and Jira accounts, some aliases, one unowned bot account.
struct Populate : Command {
    int users;
    explicit Populate(int n) : users(n) {}
    std::string label() const override { return "populate"; }
    CmdResult apply(Tx& tx) override {
        uint32_t team = tx.createAttr("team_name", "Team Name", "Team_name", AttrType::Text);
        uint32_t start = tx.createAttr("start_date", "Start date", "Start_date", AttrType::Date);
        uint32_t gh = tx.createIntegration("GitHub", IntegKind::Scm);
        uint32_t jira = tx.createIntegration("Jira", IntegKind::Issues);
        for (int i = 0; i < users; ++i) {
            uint32_t slot = tx.createUser("Person " + std::to_string(i) + " Ünïcödé", "p" + std::to_string(i) + "@example.com");
            tx.setAttr(team, slot, i % 3 ? "Platform" : "Payments");
            if (i % 5 == 0) tx.setAttr(start, slot, "2021-03-0" + std::to_string(1 + i % 9));
            tx.createIdentity(gh, "gh-" + std::to_string(i), "", slot);
            if (i % 2) tx.createIdentity(jira, "jira-" + std::to_string(i), "P" + std::to_string(i), slot);
            if (i % 7 == 0) tx.createAlias("alias" + std::to_string(i) + "@example.org", slot);
        }
        tx.createIdentity(gh, "dependabot[bot]", "dependabot", kNone);
        return {};
    }
};


// Users with attribute columns of every shape: few distinct values (a dictionary), all distinct
// (plain), mostly empty, one very long value; accounts with and without owners; aliases; removed users.
struct Mixed : Command {
    int users;
    explicit Mixed(int n) : users(n) {}
    std::string label() const override { return "mixed"; }
    CmdResult apply(Tx& tx) override {
        uint32_t team = tx.createAttr("team_name", "Team Name", "Team_name", AttrType::Text);
        uint32_t uniq = tx.createAttr("employee_no", "Employee no", "Employee_no", AttrType::Text);
        uint32_t sparse = tx.createAttr("note", "Note", "Note", AttrType::Text);
        uint32_t mgr = tx.createAttr("manager_email", "Manager", "Manager_email", AttrType::Text);
        uint32_t gh = tx.createIntegration("GitHub", IntegKind::Scm);
        uint32_t pd = tx.createIntegration("PagerDuty", IntegKind::Other);
        uint32_t jira = tx.createIntegration("Jira", IntegKind::Issues);
        const char* teams[] = {"Platform", "Payments", "Growth", "Ünïcödé Team", "Infra"};
        std::string longValue;
        for (int k = 0; k < 9000; ++k) longValue += "abcdefgh"[k % 8];
        for (int i = 0; i < users; ++i) {
            uint32_t slot = tx.createUser("Person " + std::to_string(i) + " Øre", "p" + std::to_string(i) + "@acme-corp.com");
            tx.setAttr(team, slot, teams[i % 5]);
            tx.setAttr(uniq, slot, "E" + std::to_string(1000000 + i * 7));
            if (i % 1000 == 3) tx.setAttr(sparse, slot, i == 3 ? longValue : "note " + std::to_string(i));
            tx.setAttr(mgr, slot, "boss" + std::to_string(i % 300) + "@acme-corp.com");
            tx.createIdentity(gh, "gh-" + std::to_string(i * 13 % 100003), i % 4 ? "" : "Display " + std::to_string(i), slot);
            if (i % 3 == 0) tx.createIdentity(pd, "P" + std::to_string(i * 7919 % 1000003), "", slot);
            if (i % 11 == 0) tx.createAlias("alt" + std::to_string(i) + "@acme-corp.com", slot);
            if (i % 2 == 0) {   // Jira-style hex account ids (stored packed)
                char hex[32];
                std::snprintf(hex, sizeof hex, "%08x%08x%08x", unsigned(i * 2654435761u), unsigned(i), unsigned(~i));
                tx.createIdentity(jira, hex, "", slot);
            }
        }
        tx.createIdentity(gh, "renovate[bot]", "renovate", kNone);
        // Almost-hex accounts stay plain: odd length, upper case, too short, a non-hex letter.
        for (const char* acc : {"abcdef012", "ABCDEF0123", "abcdef", "0123456789abcdeg", "00000000", "ffffffffffffffff"})
            tx.createIdentity(jira, acc, "", kNone);
        return {};
    }
};


struct SetAttr : Command {
    uint32_t attr, slot;
    std::string value;
    SetAttr(uint32_t a, uint32_t s, std::string v) : attr(a), slot(s), value(std::move(v)) {}
    std::string label() const override { return "set"; }
    CmdResult apply(Tx& tx) override {
        tx.setAttr(attr, slot, value);
        return {};
    }
};


}  // namespace roster::testutil
