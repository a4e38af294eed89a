// Another team's CDK app in Go: the platform from the Go module, staging stage.
package main

import (
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
	platform "github.com/security-assistant/security-assistant-constructs-go/securityassistantconstructs"
)

func main() {
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(os.Args[1])})
	stack := awscdk.NewStack(app, jsii.String("GoConsumer"), nil)
	p := platform.NewSecurityAssistantPlatform(stack, jsii.String("Platform"), &platform.SecurityAssistantPlatformProps{
		Stage: jsii.String("staging"),
	})
	names := []string{}
	for name := range *p.Functions() {
		names = append(names, name)
	}
	sort.Strings(names)
	fmt.Println("functions: " + strings.Join(names, ","))
	app.Synth(nil)
}
