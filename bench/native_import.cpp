// Native timing of the import phases (scripts/bench-native, not a test): reads an SEI CSV file and
// runs CsvReader (owning the bytes: parsed in place) -> planImportTable -> ImportCmd (through History) -> planJson, printing each
// phase's wall time, the change records kept for undo, and the peak resident memory.
// Usage: roster_bench_import FILE [update|replace] [repeat]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "commands.h"
#include "csv.h"
#include "sei.h"
#include "filter.h"
#include "lint.h"
#include <map>
#include "session.h"

using namespace roster;
using Clock = std::chrono::steady_clock;

static double ms(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double, std::milli>(b - a).count(); }
static long faults() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_minflt + u.ru_majflt;
}
static double cpuMs() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
}
static long peakRssMb() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss / 1024;
}

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s FILE [update|replace] [repeat]\n", argv[0]);
        return 2;
    }
    std::ifstream f(argv[1], std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    const std::string bytes = ss.str();
    const ImportMode mode = argc > 2 && std::string(argv[2]) == "update" ? ImportMode::Update : ImportMode::Replace;
    const int repeat = argc > 3 ? std::atoi(argv[3]) : 1;
    std::printf("file %s: %.1f MB, peak RSS after reading %ld MB\n", argv[1], bytes.size() / 1e6, peakRssMb());
    for (int r = 0; r < repeat; ++r) {
        Session s;
        long f0 = faults();
        double c0 = cpuMs();
        std::string owned = bytes;   // the browser's path: the reader takes the input over and parses it in place
        auto t0 = Clock::now();
        CsvReader reader(std::move(owned));
        reader.step(size_t(-1));
        CsvResult parsed = reader.take();
        auto t1 = Clock::now();
        long f1 = faults();
        double c1 = cpuMs();
        auto plan = std::make_shared<ImportPlan>(planImportTable(s.dir, std::move(parsed), mode));
        auto t2 = Clock::now();
        long f2 = faults();
        double c2 = cpuMs();
        if (!plan->ok()) {
            std::printf("plan refused: %zu errors, first %s line %u: %s\n", plan->errors.size(), plan->errors[0].code.c_str(),
                        plan->errors[0].line, plan->errors[0].message.c_str());
            return 1;
        }
        ImportCmd cmd(plan, "bench");
        CmdResult res = s.history.execute(s.dir, cmd);
        auto t3 = Clock::now();
        long f3 = faults();
        double c3 = cpuMs();
        std::printf("  CPU: parse %.0f ms (%ld faults), plan %.0f ms (%ld faults), apply %.0f ms (%ld faults)\n", c1 - c0, f1 - f0, c2 - c1,
                    f2 - f1, c3 - c2, f3 - f2);
        json j = s.planJson(*plan);
        auto t4 = Clock::now();
        std::printf("run %d: parse %.0f ms, plan %.0f ms, apply %.0f ms, planJson %.0f ms, total %.0f ms | ok=%d users=%u idents=%u "
                    "added=%u skipped=%u warnings=%zu | model %.0f MB, peak RSS %ld MB\n",
                    r + 1, ms(t0, t1), ms(t1, t2), ms(t2, t3), ms(t3, t4), ms(t0, t4), int(res.ok), s.dir.userCount(),
                    s.dir.liveIdentityCount(), plan->counts.added, plan->counts.skipped, plan->warnings.size(),
                    s.dir.memoryBytes() / 1e6, peakRssMb());
        {
            json f = {{"attribute", "team_name"}, {"op", "equals"}, {"value", "Platform"}};
            for (int q = 0; q < 5; ++q) {
                if (q == 3) {   // the first query after an edit: the value codes are patched, not made again
                    json e = s.command(json{{"op", "setAttribute"}, {"ids", {"u1"}}, {"key", "team_name"}, {"value", "Platform"}});
                    std::printf("  (edit: setAttribute team_name of u1: ok=%d)\n", int(e.value("ok", false)));
                }
                auto q0 = Clock::now();
                json r = s.query(f);
                auto q1 = Clock::now();
                std::string text = r.dump();
                auto q2 = Clock::now();
                Filter flt;
                Diag ferr;
                std::vector<uint32_t> slots;
                auto m0 = Clock::now();
                flt.compile(s.dir, f, ferr);
                flt.matchAll(s.dir, slots);
                auto m1 = Clock::now();
                std::printf("  query team_name = Platform: %zu ids, %.1f ms (of which matchAll %.1f ms) + dump %.1f ms\n", r["ids"].size(), ms(q0, q1),
                            ms(m0, m1), ms(q1, q2));
            }
        }
        {
            auto l0 = Clock::now();
            std::vector<LintIssue> issues = lintAll(s.dir);
            auto l1 = Clock::now();
            std::map<std::string, size_t> byCode;
            for (const LintIssue& i : issues) ++byCode[i.code];
            std::printf("  lintAll: %zu issues in %.0f ms:", issues.size(), ms(l0, l1));
            for (auto& [code, n] : byCode) std::printf(" %s %zu", code.c_str(), n);
            std::printf("\n");
        }
        s.history.undo(s.dir);   // the query step's edit: the next undo is the import's
        auto t5 = Clock::now();
        s.history.undo(s.dir);
        auto t6 = Clock::now();
        const uint32_t usersAfterUndo = s.dir.userCount();
        s.history.redo(s.dir);
        auto t7 = Clock::now();
        std::printf("  undo of the import %.0f ms (users %u), redo %.0f ms (users %u)\n", ms(t5, t6), usersAfterUndo, ms(t6, t7), s.dir.userCount());
    }
    return 0;
}
