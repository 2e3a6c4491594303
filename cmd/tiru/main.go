// Command tiru is the Tiru knowledge base: a web server and the tools to
// import, export and look after its data.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "tiru:", err)
		os.Exit(1)
	}
}

// run is the whole program, with its surroundings passed in so that tests
// can drive it like a user would.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd, rest := "help", []string(nil)
	if len(args) > 0 {
		cmd, rest = args[0], args[1:]
	}
	env := &environment{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	err := dispatch(ctx, env, cmd, rest)
	if errors.Is(err, flag.ErrHelp) {
		// The flags were printed as asked: that is no failure.
		return nil
	}
	return err
}

func dispatch(ctx context.Context, env *environment, cmd string, rest []string) error {
	switch cmd {
	case "serve":
		return cmdServe(ctx, env, rest)
	case "import":
		return cmdImport(ctx, env, rest)
	case "export":
		return cmdExport(ctx, env, rest)
	case "reindex":
		return cmdReindex(ctx, env, rest)
	case "check":
		return cmdCheck(ctx, env, rest)
	case "backup":
		return cmdBackup(ctx, env, rest)
	case "restore":
		return cmdRestore(ctx, env, rest)
	case "user":
		return cmdUser(ctx, env, rest)
	case "token":
		return cmdToken(ctx, env, rest)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(env.stdout, usage)
		return nil
	}
	fmt.Fprint(env.stderr, usage)
	return fmt.Errorf("perintah %q tidak dikenal; lihat `tiru help` (unknown command %q; see `tiru help`)", cmd, cmd)
}

const usage = `Tiru: basis pengetahuan studi tiru dan inovasi daerah
(a knowledge base of study visits and regional innovations)

Penggunaan / usage:
  tiru serve  [--addr 127.0.0.1:8080] [--data ./data] [--no-seed]
              menjalankan server web / run the web server
  tiru import [--data ./data] PATH...
              impor berkas .jsonl atau .md (semua atau tidak sama sekali)
              import .jsonl or .md files (all or nothing)
  tiru export [--data ./data] [--out FILE]
              ekspor catatan sebagai JSON Lines (bukan cadangan) / export the records as JSON Lines (no backup)
  tiru reindex [--data ./data]
              bangun ulang indeks pencarian dari basis data / rebuild the search index from the database
  tiru check  [--data ./data]
              bandingkan indeks dengan basis data / compare the index with the database
  tiru backup [--data ./data] [--force] FILE
              salinan basis data yang konsisten saat server berjalan; FILE yang ada ditimpa hanya dengan --force / consistent copy while the server runs; an existing FILE is overwritten only with --force
  tiru restore [--data ./kosong] FILE
              pulihkan ke folder data kosong dan bangun indeks / restore into an empty data folder, rebuild the index
  tiru user add --email E --name N --role admin|pimpinan|penyelenggara|staf [--agency A --region R [--new-agency]]
              buat akun; kata sandi dari stdin atau dibuatkan / create an account (password from stdin, or generated)
  tiru user reset --email E [--2fa]
              kata sandi baru, sesi diakhiri; --2fa mematikan verifikasi dua langkah
              new password, sessions ended; --2fa turns off two-step verification
  tiru user list
  tiru token create --email E [--name N]
              cetak token API baru / print a new API token
  tiru help   bantuan ini / this help

Lingkungan / environment: TIRU_ADDR, TIRU_DATA, TIRU_SEED=0, TIRU_TRUSTED_PROXIES, TIRU_SECURE_COOKIES=1
`

// environment is what a subcommand may use of the outside world.
type environment struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}
