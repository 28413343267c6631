/* A paced (open-loop) load generator, wrk2-style: request i is due at start + i / RATE whatever
 * the server does, and its latency runs from that scheduled start, so a server that falls behind
 * pays for every request queued behind the slow one (no coordinated omission). RATE 0 is a closed
 * loop instead (each connection sends its next request when the answer arrives): the generator's
 * own ceiling against bench/wrk/responder.c.
 *
 * Each request POSTs one line of a deliveries file (bench/wrk/deliveries.py: signature TAB
 * timestamp TAB body), in order, each line at most once: every request is a distinct delivery.
 *
 *   cc -O2 -o pace pace.c -lm
 *   ./pace HOST PORT PATH CONNECTIONS RATE SECONDS DELIVERIES
 *
 * Prints one JSON object: sent, answered, 2xx, accepted (answers whose body says "accepted"),
 * errors, seconds, rate achieved, latency p50/p90/p99/p999/max in ms (from scheduled start).
 * Connections are dialled when a request needs one and dropped when the server answers
 * "Connection: close" (gunicorn's sync worker closes every connection after its answer).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define BUF 65536

struct request { char *data; size_t len; };
struct conn { int fd; int busy; int64_t scheduled; size_t len; char buf[BUF]; };

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int cmp(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static struct sockaddr_in target;

static int dial(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&target, sizeof target) != 0) { close(fd); return -1; }
    return fd;
}

/* The length of one complete response at the start of buf, 0 if incomplete; *status its status. */
static size_t response_length(const char *buf, size_t len, int *status, int *closing) {
    const char *head_end = memmem(buf, len, "\r\n\r\n", 4);
    if (!head_end) return 0;
    size_t head_len = (size_t)(head_end - buf) + 4;
    long body = 0;
    const char *p = buf;
    while (p < head_end) {
        const char *eol = memchr(p, '\n', (size_t)(head_end + 2 - p));
        if (!eol) break;
        if ((size_t)(eol - p) > 15 && strncasecmp(p, "content-length:", 15) == 0) body = strtol(p + 15, NULL, 10);
        if ((size_t)(eol - p) >= 17 && strncasecmp(p, "connection: close", 17) == 0) *closing = 1;
        p = eol + 1;
    }
    if (len < head_len + (size_t)body) return 0;
    *status = len > 12 ? atoi(buf + 9) : 0;
    return head_len + (size_t)body;
}

int main(int argc, char **argv) {
    if (argc != 8) {
        fprintf(stderr, "usage: %s HOST PORT PATH CONNECTIONS RATE SECONDS DELIVERIES\n", argv[0]);
        return 2;
    }
    const char *host = argv[1], *path = argv[3];
    int nconn = atoi(argv[4]);
    double rate = atof(argv[5]), seconds = atof(argv[6]);
    target.sin_family = AF_INET;
    target.sin_port = htons((unsigned short)atoi(argv[2]));
    inet_pton(AF_INET, host, &target.sin_addr);

    FILE *in = fopen(argv[7], "r");
    if (!in) { perror(argv[7]); return 2; }
    size_t cap = 1024, count = 0;
    struct request *requests = malloc(cap * sizeof *requests);
    char *line = NULL;
    size_t line_cap = 0;
    ssize_t got;
    while ((got = getline(&line, &line_cap, in)) > 0) {
        if (line[got - 1] == '\n') line[--got] = 0;
        char *sig = line, *stamp = strchr(sig, '\t');
        if (!stamp) continue;
        *stamp++ = 0;
        char *body = strchr(stamp, '\t');
        if (!body) continue;
        *body++ = 0;
        size_t body_len = strlen(body);
        if (count == cap) requests = realloc(requests, (cap *= 2) * sizeof *requests);
        struct request *r = &requests[count++];
        r->len = (size_t)asprintf(&r->data,
            "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n"
            "X-Zendesk-Webhook-Signature: %s\r\nX-Zendesk-Webhook-Signature-Timestamp: %s\r\n"
            "Content-Length: %zu\r\n\r\n%s", path, host, sig, stamp, body_len, body);
    }
    fclose(in);
    size_t total = rate > 0 ? (size_t)(rate * seconds) : count;
    if (total > count) { fprintf(stderr, "need %zu deliveries, the file has %zu\n", total, count); return 2; }

    int ep = epoll_create1(0);
    struct conn *conns = calloc((size_t)nconn, sizeof *conns);
    /* Connections are dialled when a request needs one, not before: gunicorn's sync worker takes one
     * connection at a time and would sit on an idle one, and it closes each after its answer. */
    for (int i = 0; i < nconn; i++) conns[i].fd = -1;
    int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    struct epoll_event tev = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &tev);

    int64_t *latency = malloc(total * sizeof *latency);
    size_t next = 0, answered = 0, ok = 0, accepted = 0, errors = 0, sent = 0;
    int64_t start = now_ns();
    int64_t interval = rate > 0 ? (int64_t)(1e9 / rate) : 0;
    int64_t hard_stop = start + (int64_t)((seconds + 10.0) * 1e9); /* stragglers get 10 s more, then count as errors */
    int64_t closed_stop = start + (int64_t)(seconds * 1e9);
    struct epoll_event events[256];
    for (;;) {
        int64_t now = now_ns();
        if (rate <= 0 && now >= closed_stop) total = next; /* closed loop: stop sending after SECONDS */
        /* send every due request on an idle connection (due ones wait their turn, their clock running) */
        for (int i = 0; i < nconn && next < total; i++) {
            int64_t due = start + (int64_t)next * interval;
            if (due > now) break;
            if (conns[i].busy) continue;
            if (conns[i].fd < 0) {
                conns[i].fd = dial();
                if (conns[i].fd < 0) continue;
                struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &conns[i]};
                epoll_ctl(ep, EPOLL_CTL_ADD, conns[i].fd, &ev);
            }
            struct request *r = &requests[next];
            if (write(conns[i].fd, r->data, r->len) != (ssize_t)r->len) {
                errors++;
                epoll_ctl(ep, EPOLL_CTL_DEL, conns[i].fd, NULL);
                close(conns[i].fd);
                conns[i].fd = -1;
                next++;
                continue;
            }
            conns[i].busy = 1;
            conns[i].scheduled = rate > 0 ? due : now;
            next++; sent++;
        }
        if (answered + errors >= total && next >= total) break;
        if (now > hard_stop) { errors += sent - answered; break; }
        if (rate > 0 && next < total) {
            int64_t due = start + (int64_t)next * interval;
            int64_t wait = due - now_ns();
            if (wait < 1000) wait = 1000;
            struct itimerspec when = {.it_value = {.tv_sec = wait / 1000000000LL, .tv_nsec = wait % 1000000000LL}};
            timerfd_settime(tfd, 0, &when, NULL);
        }
        int n = epoll_wait(ep, events, 256, 100);
        for (int e = 0; e < n; e++) {
            struct conn *c = events[e].data.ptr;
            if (c == NULL) { uint64_t ticks; if (read(tfd, &ticks, sizeof ticks) < 0) {} continue; }
            ssize_t r = read(c->fd, c->buf + c->len, BUF - c->len);
            if (r <= 0) { /* the server closed: the request in flight failed */
                epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
                close(c->fd);
                if (c->busy) { errors++; c->busy = 0; }
                c->len = 0;
                c->fd = -1;
                continue;
            }
            c->len += (size_t)r;
            int status = 0, closing = 0;
            size_t length = response_length(c->buf, c->len, &status, &closing);
            if (length == 0) continue;
            latency[answered++] = now_ns() - c->scheduled;
            if (status >= 200 && status < 300) ok++;
            if (memmem(c->buf, length, "\"accepted\"", 10)) accepted++;
            memmove(c->buf, c->buf + length, c->len - length);
            c->len -= length;
            c->busy = 0;
            if (closing) { /* the server closes after this answer (gunicorn's sync worker): dial anew when needed */
                epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
                close(c->fd);
                c->len = 0;
                c->fd = -1;
            }
        }
    }
    double elapsed = (double)(now_ns() - start) / 1e9;
    qsort(latency, answered, sizeof *latency, cmp);
#define PCT(p) (answered ? (double)latency[(size_t)((double)(answered - 1) * (p))] / 1e6 : 0.0)
    printf("{\"sent\": %zu, \"answered\": %zu, \"ok\": %zu, \"accepted\": %zu, \"errors\": %zu, \"seconds\": %.3f, "
           "\"rate\": %.1f, \"p50_ms\": %.3f, \"p90_ms\": %.3f, \"p99_ms\": %.3f, \"p999_ms\": %.3f, \"max_ms\": %.3f}\n",
           sent, answered, ok, accepted, errors, elapsed, (double)answered / elapsed,
           PCT(0.5), PCT(0.9), PCT(0.99), PCT(0.999), answered ? (double)latency[answered - 1] / 1e6 : 0.0);
    return 0;
}
