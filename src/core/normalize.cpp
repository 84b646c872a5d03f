#include "normalize.h"

#include <utf8proc.h>

#include <algorithm>
#include <cstdlib>

#include "model.h"
#include "text.h"

namespace roster {

namespace {

bool isAsciiAlnum(unsigned char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Latin letters without a canonical decomposition, after case folding.
void foldExtraLatin(std::string& s) {
    static const struct { const char* from; const char* to; } map[] = {
        {"\xC3\xB8", "o"},  {"\xC5\x82", "l"},  {"\xC4\x91", "d"},  {"\xC3\xA6", "ae"}, {"\xC5\x93", "oe"},
        {"\xC3\xBE", "th"}, {"\xC4\xB1", "i"},  {"\xC3\xB0", "d"},  {"\xC4\xA7", "h"},  {"\xC5\xA7", "t"},
        {"\xE2\x80\x99", "'"}, {"\xE2\x80\x98", "'"},
    };
    bool any = false;
    for (unsigned char c : s) if (c >= 0x80) { any = true; break; }
    if (!any) return;
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size();) {
        bool done = false;
        if ((unsigned char)s[i] >= 0x80)
            for (const auto& m : map) {
                size_t n = std::char_traits<char>::length(m.from);
                if (s.compare(i, n, m.from) == 0) { out += m.to; i += n; done = true; break; }
            }
        if (!done) out += s[i++];
    }
    s.swap(out);
}

}  // namespace

std::string foldText(std::string_view s) {
    s = trim(s);
    bool ascii = true;
    for (unsigned char c : s) if (c >= 0x80) { ascii = false; break; }
    if (ascii) return toLowerAscii(s);
    utf8proc_uint8_t* out = nullptr;
    utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()), utf8proc_ssize_t(s.size()), &out,
                                      utf8proc_option_t(UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD | UTF8PROC_COMPAT));
    if (n < 0 || !out) {
        if (out) std::free(out);
        return toLowerAscii(s);
    }
    std::string r(reinterpret_cast<const char*>(out), size_t(n));
    std::free(out);
    foldExtraLatin(r);
    return r;
}

std::vector<std::string> foldedWords(std::string_view text) {
    std::string f = foldText(text);
    std::vector<std::string> words;
    std::string cur;
    const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(f.data());
    utf8proc_ssize_t len = utf8proc_ssize_t(f.size()), i = 0;
    while (i < len) {
        unsigned char c = p[i];
        if (c < 0x80) {
            if (isAsciiAlnum(c)) cur += char(c);
            else if (!cur.empty()) { words.push_back(std::move(cur)); cur.clear(); }
            ++i;
            continue;
        }
        utf8proc_int32_t cp = 0;
        utf8proc_ssize_t k = utf8proc_iterate(p + i, len - i, &cp);
        if (k <= 0) { ++i; continue; }
        utf8proc_category_t cat = utf8proc_category(cp);
        bool word = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) || (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO) ||
                    cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC;
        if (word) cur.append(f, size_t(i), size_t(k));
        else if (!cur.empty()) { words.push_back(std::move(cur)); cur.clear(); }
        i += k;
    }
    if (!cur.empty()) words.push_back(std::move(cur));
    return words;
}

std::string normalizeName(std::string_view name) {
    std::vector<std::string> w = foldedWords(name);
    std::sort(w.begin(), w.end());
    std::string r;
    for (auto& x : w) {
        if (!r.empty()) r += ' ';
        r += x;
    }
    return r;
}

std::string nameHandle(std::string_view name) {
    std::string r;
    for (auto& x : foldedWords(name)) r += x;
    return r;
}

std::string alnumFold(std::string_view s) { return nameHandle(s); }

std::string foldEmail(std::string_view email) { return toLowerAscii(trim(email)); }

std::string emailLocal(std::string_view email) {
    std::string e = foldEmail(email);
    size_t at = e.rfind('@');
    if (at == std::string::npos) return {};
    std::string local = e.substr(0, at);
    size_t plus = local.find('+');
    if (plus != std::string::npos && plus > 0) local.resize(plus);
    return local;
}

std::string emailDomain(std::string_view email) {
    std::string e = foldEmail(email);
    size_t at = e.rfind('@');
    return at == std::string::npos ? std::string() : e.substr(at + 1);
}

bool parseNoreply(std::string_view email, std::string& login) {
    std::string e = foldEmail(email);
    static const std::string kDomain = "@users.noreply.github.com";
    if (e.size() <= kDomain.size() || e.compare(e.size() - kDomain.size(), kDomain.size(), kDomain) != 0) return false;
    std::string local = e.substr(0, e.size() - kDomain.size());
    size_t plus = local.find('+');
    if (plus != std::string::npos) {
        for (size_t i = 0; i < plus; ++i)
            if (local[i] < '0' || local[i] > '9') return false;
        if (plus == 0) return false;
        local = local.substr(plus + 1);
    }
    if (local.empty()) return false;
    for (char c : local)
        if (!(isAsciiAlnum((unsigned char)c) || c == '-' || c == '_' || c == '.')) return false;
    login = local;
    return true;
}

bool globMatchFolded(std::string_view pat, std::string_view text) {
    // Iterative glob with backtracking on the last '*'. Both sides already lower-cased.
    size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
    while (t < text.size()) {
        if (p < pat.size() && (pat[p] == '?' || pat[p] == text[t])) { ++p; ++t; }
        else if (p < pat.size() && pat[p] == '*') { star = p++; mark = t; }
        else if (star != std::string_view::npos) { p = star + 1; t = ++mark; }
        else return false;
    }
    while (p < pat.size() && pat[p] == '*') ++p;
    return p == pat.size();
}

namespace {

bool matchesPatterns(const std::string& folded, const std::vector<std::string>& patterns) {
    for (const std::string& p : patterns) {
        if (p.empty()) continue;
        if (p.find_first_of("*?") != std::string::npos) {
            if (globMatchFolded(p, folded)) return true;
        } else if (folded.find(p) != std::string::npos) {
            return true;
        }
    }
    return false;
}

// Markers found anywhere in a handle, grouped by their first letter so that one pass over the
// text tries only the markers that can start at each position (the lint checks every account of
// a million-person directory: 19 whole-text searches each were most of its time).
bool hasBotMarker(std::string_view f) {
    static const std::string_view byFirst[][4] = {
        /* [ */ {"[bot]"},
        /* a */ {"allcontributors"},
        /* c */ {"codecov"},
        /* d */ {"dependabot", "donotreply", "do-not-reply", "do_not_reply"},
        /* g */ {"github-actions", "greenkeeper"},
        /* i */ {"imgbot"},
        /* m */ {"mergify"},
        /* n */ {"no-reply", "noreply", "no_reply"},
        /* p */ {"pre-commit-ci"},
        /* r */ {"renovate"},
        /* s */ {"semantic-release", "sonarcloud"},
    };
    static const std::string_view firsts = "[acdgimnprs";
    for (size_t i = 0; i < f.size(); ++i) {
        const size_t k = firsts.find(f[i]);
        if (k == std::string_view::npos) continue;
        for (std::string_view m : byFirst[k])
            if (!m.empty() && f.compare(i, m.size(), m) == 0) return true;
    }
    return false;
}

bool handleLooksLikeBot(const std::string& f) {
    if (hasBotMarker(f)) return true;
    // "bot" anywhere as a word, "snyk" as the start of one ("snyk-bot", not PagerDuty's "PUSNYKD");
    // service words only as the first word ("jenkins-ci", not "sarah.jenkins").
    static const char* const first[] = {"jenkins", "ci", "automation", "svc", "buildbot", "robot", "deployer", "daemon", "service", "build"};
    size_t i = 0;
    bool isFirst = true;
    while (i < f.size()) {
        size_t j = i;
        while (j < f.size() && f[j] != '-' && f[j] != '_' && f[j] != '.' && f[j] != '@' && f[j] != '+' && f[j] != ' ') ++j;
        std::string_view tok(f.data() + i, j - i);
        if (tok == "bot" || tok == "bots" || tok.substr(0, 4) == "snyk") return true;
        if (isFirst && j < f.size())   // a separator follows: "jenkins" alone is a name too, "jenkins-ci" is not
            for (const char* t : first)
                if (tok == t) return true;
        if (isFirst && j == f.size() && (tok == "jenkins" || tok == "buildbot")) return true;
        isFirst = false;
        if (f[j < f.size() ? j : f.size() - 1] == '@') break;   // the domain of an email says nothing
        i = j + 1;
    }
    return false;
}

}  // namespace

bool looksLikeBot(std::string_view text, const std::vector<std::string>& patterns) {
    std::string f = toLowerAscii(trim(text));
    if (f.empty()) return false;
    if (matchesPatterns(f, patterns)) return true;
    if (f.find(' ') != std::string::npos) {
        // A display name like a person's: only unmistakable bot markers count ("Sarah Jenkins" is a person).
        if (f.find("[bot]") != std::string::npos || f.find("dependabot") != std::string::npos ||
            f.find("github-actions") != std::string::npos || f.find("renovate bot") != std::string::npos)
            return true;
        return f.size() > 4 && f.compare(f.size() - 4, 4, " bot") == 0;
    }
    return handleLooksLikeBot(f);
}

bool emailLooksLikeBot(std::string_view email, const std::vector<std::string>& patterns) {
    std::string e = foldEmail(email);
    if (e.empty()) return false;
    if (matchesPatterns(e, patterns)) return true;
    std::string login;
    if (parseNoreply(e, login)) return handleLooksLikeBot(login);   // a person's GitHub noreply address is not a bot
    size_t at = e.rfind('@');
    std::string local = at == std::string::npos ? e : e.substr(0, at);
    return handleLooksLikeBot(local);
}

std::vector<std::string> botPatternList(const Directory& d) {
    std::vector<std::string> out;
    for (const auto& r : d.botPatterns())
        if (r.alive) out.push_back(toLowerAscii(trim(d.s(r.key))));
    return out;
}

}  // namespace roster
