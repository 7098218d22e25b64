// Command pstest-server runs Google's in-memory Pub/Sub fake (cloud.google.com/go/pubsub/v2/pstest)
// as a standalone gRPC server, so Node tests can reach it through PUBSUB_EMULATOR_HOST.
//
// It keeps everything in memory: topics, subscriptions and messages vanish when it stops.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	"cloud.google.com/go/pubsub/v2/pstest"
)

func main() {
	// 127.0.0.1 rather than pstest.NewServerWithPort's "localhost": localhost may resolve to ::1,
	// and the Node client breaks on an IPv6 emulator host.
	host := flag.String("host", "127.0.0.1", "address to listen on")
	port := flag.Int("port", 8085, "TCP port to listen on")
	flag.Parse()

	addr := net.JoinHostPort(*host, strconv.Itoa(*port))
	srv := pstest.NewServerWithAddress(addr)
	log.Printf("pstest-server: Pub/Sub fake listening on %s", srv.Addr)
	fmt.Fprintf(os.Stdout, "ready %s\n", srv.Addr)

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	sig := <-stop
	log.Printf("pstest-server: %s received, shutting down", sig)
	if err := srv.Close(); err != nil {
		log.Printf("pstest-server: close: %v", err)
		os.Exit(1)
	}
}
