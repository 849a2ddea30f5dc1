// The model card template offered for new versions.
export const MODEL_CARD_TEMPLATE = `## Intended use
What the model is for, who uses its output, and where it runs (cloud, device class).

## Limitations
Conditions where it is known to fail (night, rain, glare, camera models), and what it must not be used for.

## Evaluation
Datasets, slices and metrics (precision and recall per event type), with links to the runs.

## Ethical considerations
Privacy of drivers and bystanders, fairness across regions and vehicles, human oversight.
`;
