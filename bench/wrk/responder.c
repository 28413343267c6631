/* The load generator's own ceiling: a trivial HTTP/1.1 responder (one thread, epoll, keep-alive).
 * It reads each request's head and Content-Length body and answers 200 {"status":"accepted"}, far
 * cheaper than any Python server, so what a load generator reaches against it is the generator's
 * limit on this machine, not the server's.
 *
 *   cc -O2 -o responder responder.c && ./responder PORT
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUF 131072
static const char ANSWER[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 22\r\n\r\n"
                             "{\"status\":\"accepted\"}\n";

struct conn { int fd; size_t len; char buf[BUF]; };

static long content_length(const char *head, size_t head_len) {
    const char *p = head;
    const char *end = head + head_len;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol) break;
        if ((size_t)(eol - p) > 15 && strncasecmp(p, "content-length:", 15) == 0) return strtol(p + 15, NULL, 10);
        p = eol + 1;
    }
    return 0;
}

int main(int argc, char **argv) {
    int port = argc > 1 ? atoi(argv[1]) : 18600;
    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(lfd, (struct sockaddr *)&addr, sizeof addr) || listen(lfd, 1024)) { perror("bind/listen"); return 1; }
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
    struct epoll_event events[256];
    for (;;) {
        int n = epoll_wait(ep, events, 256, -1);
        for (int i = 0; i < n; i++) {
            struct conn *c = events[i].data.ptr;
            if (c == NULL) {
                int fd;
                while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    struct conn *nc = calloc(1, sizeof *nc);
                    nc->fd = fd;
                    struct epoll_event cev = {.events = EPOLLIN, .data.ptr = nc};
                    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &cev);
                }
                continue;
            }
            ssize_t got = read(c->fd, c->buf + c->len, BUF - c->len);
            if (got <= 0) {
                if (got < 0 && errno == EAGAIN) continue;
                close(c->fd); free(c); continue;
            }
            c->len += (size_t)got;
            for (;;) {  /* every complete request in the buffer (pipelined ones too) */
                char *head_end = memmem(c->buf, c->len, "\r\n\r\n", 4);
                if (!head_end) break;
                size_t head_len = (size_t)(head_end - c->buf) + 4;
                size_t total = head_len + (size_t)content_length(c->buf, head_len);
                if (total > BUF) { c->len = 0; break; }
                if (c->len < total) break;
                if (write(c->fd, ANSWER, sizeof ANSWER - 1) < 0) break;
                memmove(c->buf, c->buf + total, c->len - total);
                c->len -= total;
            }
            if (c->len == BUF) { close(c->fd); free(c); }
        }
    }
}
