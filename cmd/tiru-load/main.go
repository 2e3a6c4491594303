// Command tiru-load is Tiru's load test: it fills a data folder with
// synthetic innovations, and drives a running server on loopback with mixed
// traffic at a fixed rate, printing latency percentiles and errors.
//
//	tiru-load seed -data DIR -n 10000
//	tiru-load run -url http://127.0.0.1:8080 -token tiru_… -rate 100 -duration 60s
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "tiru-load:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: tiru-load seed|run [flags]")
	}
	fs := flag.NewFlagSet(args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	switch args[0] {
	case "seed":
		data := fs.String("data", "data-load", "data folder to fill")
		n := fs.Int("n", 10000, "innovations to generate")
		seed := fs.Uint64("seed", 1, "generator seed")
		email := fs.String("email", "load@example.go.id", "organiser account whose token the writes use")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		return seedData(ctx, stdout, *data, *n, *seed, *email)
	case "run":
		cfg := loadConfig{}
		fs.StringVar(&cfg.url, "url", "http://127.0.0.1:8080", "server to load (loopback only)")
		fs.StringVar(&cfg.token, "token", "", "API token for the writes (tiru token create)")
		fs.StringVar(&cfg.data, "data", "data-load", "data folder of the server, to read slugs from")
		fs.Float64Var(&cfg.rate, "rate", 100, "requests per second to send")
		fs.DurationVar(&cfg.duration, "duration", 60e9, "how long to send")
		fs.IntVar(&cfg.workers, "workers", 64, "requests in flight at most")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if !(cfg.rate > 0) || cfg.workers < 1 || cfg.duration <= 0 {
			return fmt.Errorf("-rate, -workers and -duration must be more than zero")
		}
		return runLoad(ctx, stdout, cfg)
	}
	return fmt.Errorf("unknown command %q", args[0])
}
