#pragma once
// Helpers shared by the storage tests (test_storage.cpp, test_storage3.cpp).
#include <catch2/catch.hpp>
#include <dirent.h>
#include <stdlib.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

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

}  // namespace roster::testutil
