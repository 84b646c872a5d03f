#pragma once
// Helpers for tests that ask git itself (git is a Debian package; tests warn and skip without it).
#include <cstdio>
#include <string>

namespace roster::test {

// The command's standard output (run through the shell).
inline std::string run(const std::string& cmd) {
    std::string out;
    FILE* f = popen(cmd.c_str(), "r");
    if (!f) return out;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
    pclose(f);
    return out;
}

inline std::string shellQuote(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

inline bool haveGit() { return run("git --version 2>/dev/null").rfind("git version", 0) == 0; }

}  // namespace roster::test
