// What a first touch of fresh memory costs on this machine (docs/bench.md, "Session 4").
//   cc -O2 bench/page-faults.c -o /tmp/page-faults && /tmp/page-faults
// Touches one byte per 4 KiB page of a fresh 512 MiB mapping, then the same with a huge-page hint,
// and memsets the first mapping again (warm) for comparison.
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

static double nowMs(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(void) {
    const size_t n = (size_t)512 << 20;
    char* p = mmap(0, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return 1;
    double t = nowMs();
    for (size_t i = 0; i < n; i += 4096) p[i] = 1;
    const double first = nowMs() - t;
    t = nowMs();
    memset(p, 2, n);
    const double warm = nowMs() - t;
    printf("first touch of 512 MiB: %.0f ms (%.2f ms per MiB, %.1f us per page); memset warm: %.0f ms\n", first, first / 512,
           first * 1000 / (n / 4096), warm);
    char* q = mmap(0, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (q == MAP_FAILED) return 1;
    madvise(q, n, MADV_HUGEPAGE);
    t = nowMs();
    for (size_t i = 0; i < n; i += 4096) q[i] = 1;
    printf("with MADV_HUGEPAGE: %.0f ms\n", nowMs() - t);
    return 0;
}
