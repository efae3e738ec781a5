namespace Workflow.Persistence; class P{}
