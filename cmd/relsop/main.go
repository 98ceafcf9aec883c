// Command relsop keeps release SOPs as checked, formatted YAML models.
package main

import (
	"os"

	"github.com/relsop/relsop/internal/cli"
)

func main() { os.Exit(cli.Run()) }
