// Renders an Argo Rollouts notification template body over a Rollout object the way
// argo-rollouts does (utils/record/record.go): the object as JSON decoded into
// map[string]interface{} (numbers float64), passed as {"rollout": obj} to text/template.
// Usage: go run main.go TEMPLATE_FILE ROLLOUT_JSON_FILE
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"text/template"
)

func main() {
	body, err := os.ReadFile(os.Args[1])
	if err != nil {
		panic(err)
	}
	raw, err := os.ReadFile(os.Args[2])
	if err != nil {
		panic(err)
	}
	var obj map[string]interface{}
	if err := json.Unmarshal(raw, &obj); err != nil {
		panic(err)
	}
	t, err := template.New("body").Parse(string(body))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if err := t.Execute(os.Stdout, map[string]interface{}{"rollout": obj}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
}
